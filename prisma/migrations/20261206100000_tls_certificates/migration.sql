-- TLS entities (#17): certificates (private keys sealed, never PEM), their SNIs, CA certificates; upstream TLS fields of services.

-- AlterTable
ALTER TABLE "services" ADD COLUMN "client_certificate_id" UUID,
    ADD COLUMN "tls_verify" BOOLEAN,
    ADD COLUMN "tls_verify_depth" INTEGER,
    ADD COLUMN "ca_certificates" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[];


-- CreateTable
CREATE TABLE "certificates" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "cert" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "cert_alt" TEXT,
    "key_alt" TEXT,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "snis" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "certificate_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "snis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ca_certificates" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "cert" TEXT NOT NULL,
    "cert_digest" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ca_certificates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "certificates_runtime_group_id_idx" ON "certificates"("runtime_group_id");

-- CreateIndex
CREATE INDEX "snis_certificate_id_idx" ON "snis"("certificate_id");

-- CreateIndex
CREATE UNIQUE INDEX "snis_runtime_group_id_name_key" ON "snis"("runtime_group_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ca_certificates_runtime_group_id_cert_digest_key" ON "ca_certificates"("runtime_group_id", "cert_digest");

-- AddForeignKey
ALTER TABLE "services" ADD CONSTRAINT "services_client_certificate_id_fkey" FOREIGN KEY ("client_certificate_id") REFERENCES "certificates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snis" ADD CONSTRAINT "snis_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snis" ADD CONSTRAINT "snis_certificate_id_fkey" FOREIGN KEY ("certificate_id") REFERENCES "certificates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ca_certificates" ADD CONSTRAINT "ca_certificates_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
