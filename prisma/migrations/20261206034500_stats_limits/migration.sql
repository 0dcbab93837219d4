-- Stats a data plane reports are bounded (analytics/stats-limits.ts): a batch
-- that breaks a rule is recorded with its reason, so sending it again gets the
-- same refusal and it is never counted; requests per node and minute are
-- summed across batches to cap what one node can claim.

-- AlterTable
ALTER TABLE "analytics_batches" ADD COLUMN "refused_reason" TEXT;

-- CreateTable
CREATE TABLE "analytics_node_minutes" (
    "node_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "analytics_node_minutes_pkey" PRIMARY KEY ("node_id","at")
);

-- CreateIndex
CREATE INDEX "analytics_node_minutes_at_idx" ON "analytics_node_minutes"("at");
