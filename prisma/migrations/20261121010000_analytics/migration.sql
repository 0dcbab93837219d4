-- CreateTable
CREATE TABLE "analytics_batches" (
    "batch_id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "node_id" UUID NOT NULL,
    "bucket_count" INTEGER NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_batches_pkey" PRIMARY KEY ("batch_id")
);

-- CreateTable
CREATE TABLE "analytics_minute" (
    "runtime_group_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "route_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "consumer_id" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "count" BIGINT NOT NULL,
    "latency_sum" DOUBLE PRECISION NOT NULL,
    "latency_max" DOUBLE PRECISION NOT NULL,
    "latency_hist" JSONB NOT NULL,
    "upstream_latency_sum" DOUBLE PRECISION NOT NULL,
    "upstream_latency_max" DOUBLE PRECISION NOT NULL,
    "upstream_latency_hist" JSONB NOT NULL,

    CONSTRAINT "analytics_minute_pkey" PRIMARY KEY ("runtime_group_id","at","route_id","service_id","consumer_id","status")
);

-- CreateTable
CREATE TABLE "analytics_hour" (
    "runtime_group_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "route_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "consumer_id" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "count" BIGINT NOT NULL,
    "latency_sum" DOUBLE PRECISION NOT NULL,
    "latency_max" DOUBLE PRECISION NOT NULL,
    "latency_hist" JSONB NOT NULL,
    "upstream_latency_sum" DOUBLE PRECISION NOT NULL,
    "upstream_latency_max" DOUBLE PRECISION NOT NULL,
    "upstream_latency_hist" JSONB NOT NULL,

    CONSTRAINT "analytics_hour_pkey" PRIMARY KEY ("runtime_group_id","at","route_id","service_id","consumer_id","status")
);

-- CreateIndex
CREATE INDEX "analytics_batches_received_at_idx" ON "analytics_batches"("received_at");

-- CreateIndex
CREATE INDEX "analytics_minute_service_id_at_idx" ON "analytics_minute"("service_id", "at");

-- CreateIndex
CREATE INDEX "analytics_minute_at_idx" ON "analytics_minute"("at");

-- CreateIndex
CREATE INDEX "analytics_hour_service_id_at_idx" ON "analytics_hour"("service_id", "at");

-- CreateIndex
CREATE INDEX "analytics_hour_at_idx" ON "analytics_hour"("at");

-- Histograms are sparse JSON maps of bucket index -> count; adding two adds counts per bucket.
CREATE FUNCTION "gatehouse_hist_add"(a JSONB, b JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
  FROM (
    SELECT k, sum(n) AS n
    FROM (
      SELECT key AS k, value::text::bigint AS n FROM jsonb_each(coalesce(a, '{}'::jsonb))
      UNION ALL
      SELECT key, value::text::bigint FROM jsonb_each(coalesce(b, '{}'::jsonb))
    ) AS parts
    GROUP BY k
  ) AS merged
$$;

CREATE AGGREGATE "gatehouse_hist_sum"(JSONB) (
  SFUNC = "gatehouse_hist_add",
  STYPE = JSONB,
  INITCOND = '{}'
);
