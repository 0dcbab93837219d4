-- Upstreams and their targets (Kong's Upstream and Target entities, issue #16):
-- a gateway service whose host is an upstream's name is balanced over the
-- upstream's targets. A target is unique in its upstream.

-- CreateTable
CREATE TABLE "upstreams" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL DEFAULT 'round-robin',
    "hash_on" TEXT NOT NULL DEFAULT 'none',
    "hash_fallback" TEXT NOT NULL DEFAULT 'none',
    "hash_on_header" TEXT,
    "hash_fallback_header" TEXT,
    "hash_on_cookie" TEXT,
    "hash_on_cookie_path" TEXT NOT NULL DEFAULT '/',
    "hash_on_query_arg" TEXT,
    "hash_fallback_query_arg" TEXT,
    "hash_on_uri_capture" TEXT,
    "hash_fallback_uri_capture" TEXT,
    "slots" INTEGER NOT NULL DEFAULT 10000,
    "healthchecks" JSONB NOT NULL DEFAULT '{}',
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "host_header" TEXT,
    "use_srv_name" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "upstreams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "targets" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "upstream_id" UUID NOT NULL,
    "target" TEXT NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 100,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "targets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "upstreams_runtime_group_id_name_key" ON "upstreams"("runtime_group_id", "name");

-- CreateIndex
CREATE INDEX "targets_runtime_group_id_idx" ON "targets"("runtime_group_id");

-- CreateIndex
CREATE UNIQUE INDEX "targets_upstream_id_target_key" ON "targets"("upstream_id", "target");

-- AddForeignKey
ALTER TABLE "upstreams" ADD CONSTRAINT "upstreams_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "targets" ADD CONSTRAINT "targets_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "targets" ADD CONSTRAINT "targets_upstream_id_fkey" FOREIGN KEY ("upstream_id") REFERENCES "upstreams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
