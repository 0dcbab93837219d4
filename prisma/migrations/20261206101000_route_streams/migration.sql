-- Routes match TLS SNIs, and stream routes client and local addresses (#17):
-- `snis` names, `sources` and `destinations` lists of {ip, port}.

-- AlterTable
ALTER TABLE "routes" ADD COLUMN "snis" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "sources" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "destinations" JSONB NOT NULL DEFAULT '[]';
