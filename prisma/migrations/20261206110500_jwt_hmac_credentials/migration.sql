-- jwt and hmac-auth credentials (#18): Kong's jwt_secrets and hmacauth_credentials.

-- CreateTable
CREATE TABLE "jwt_secrets" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "consumer_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL DEFAULT 'HS256',
    "secret" TEXT,
    "rsa_public_key" TEXT,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "jwt_secrets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hmacauth_credentials" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "consumer_id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hmacauth_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "jwt_secrets_consumer_id_idx" ON "jwt_secrets"("consumer_id");

-- CreateIndex
CREATE UNIQUE INDEX "jwt_secrets_runtime_group_id_key_key" ON "jwt_secrets"("runtime_group_id", "key");

-- CreateIndex
CREATE INDEX "hmacauth_credentials_consumer_id_idx" ON "hmacauth_credentials"("consumer_id");

-- CreateIndex
CREATE UNIQUE INDEX "hmacauth_credentials_runtime_group_id_username_key" ON "hmacauth_credentials"("runtime_group_id", "username");

-- AddForeignKey
ALTER TABLE "jwt_secrets" ADD CONSTRAINT "jwt_secrets_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "jwt_secrets" ADD CONSTRAINT "jwt_secrets_consumer_id_fkey" FOREIGN KEY ("consumer_id") REFERENCES "consumers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hmacauth_credentials" ADD CONSTRAINT "hmacauth_credentials_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hmacauth_credentials" ADD CONSTRAINT "hmacauth_credentials_consumer_id_fkey" FOREIGN KEY ("consumer_id") REFERENCES "consumers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
