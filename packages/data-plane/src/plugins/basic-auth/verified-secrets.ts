/**
 * A bounded set of digests of (password hash, password) pairs already
 * verified, oldest evicted first. Keyed on the stored hash too, so changing a
 * credential's password invalidates its entries by construction.
 */
export class VerifiedSecrets {
  private readonly digests = new Set<string>();

  constructor(private readonly max: number) {}

  has(digest: string): boolean {
    return this.digests.has(digest);
  }

  add(digest: string): void {
    if (this.digests.size >= this.max) {
      const oldest = this.digests.values().next();
      if (!oldest.done) this.digests.delete(oldest.value);
    }
    this.digests.add(digest);
  }
}
