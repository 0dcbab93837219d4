-- A renewed DP certificate records the certificate it renewed (docs/CLUSTER.md,
-- Renewal). The unique index lets each certificate be renewed once, even by
-- CP processes racing; revocation follows these links to the descendants.
ALTER TABLE "dp_certificates" ADD COLUMN "parent_id" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "dp_certificates_parent_id_key" ON "dp_certificates"("parent_id");

-- AddForeignKey
ALTER TABLE "dp_certificates" ADD CONSTRAINT "dp_certificates_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "dp_certificates"("id") ON DELETE CASCADE ON UPDATE CASCADE;
