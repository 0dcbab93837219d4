-- Gatehouse's per-target circuit breaker (#16): requests in flight per target
-- beyond which the data plane skips it; NULL means no limit.

-- AlterTable
ALTER TABLE "upstreams" ADD COLUMN "max_concurrent_requests_per_target" INTEGER;
