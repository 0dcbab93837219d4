-- CreateTable
CREATE TABLE "organizations" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "full_name" TEXT,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "personal_access_tokens" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "personal_access_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cluster_ca" (
    "id" TEXT NOT NULL,
    "cert_pem" TEXT NOT NULL,
    "key_enc" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cluster_ca_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runtime_groups" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "config_version" BIGINT NOT NULL DEFAULT 0,
    "ca_cert_pem" TEXT,
    "ca_key_enc" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runtime_groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "services" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "name" TEXT,
    "protocol" TEXT NOT NULL DEFAULT 'http',
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 80,
    "path" TEXT,
    "retries" INTEGER NOT NULL DEFAULT 5,
    "connect_timeout" INTEGER NOT NULL DEFAULT 60000,
    "write_timeout" INTEGER NOT NULL DEFAULT 60000,
    "read_timeout" INTEGER NOT NULL DEFAULT 60000,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "routes" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "service_id" UUID,
    "name" TEXT,
    "protocols" TEXT[] NOT NULL DEFAULT ARRAY['http', 'https']::TEXT[],
    "methods" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "hosts" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "paths" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "headers" JSONB NOT NULL DEFAULT '{}',
    "strip_path" BOOLEAN NOT NULL DEFAULT true,
    "preserve_host" BOOLEAN NOT NULL DEFAULT false,
    "regex_priority" INTEGER NOT NULL DEFAULT 0,
    "https_redirect_status_code" INTEGER NOT NULL DEFAULT 426,
    "path_handling" TEXT NOT NULL DEFAULT 'v0',
    "request_buffering" BOOLEAN NOT NULL DEFAULT true,
    "response_buffering" BOOLEAN NOT NULL DEFAULT true,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "routes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consumers" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "username" TEXT,
    "custom_id" TEXT,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consumers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plugins" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "instance_name" TEXT,
    "service_id" UUID,
    "route_id" UUID,
    "consumer_id" UUID,
    "config" JSONB NOT NULL DEFAULT '{}',
    "protocols" TEXT[] NOT NULL DEFAULT ARRAY['grpc', 'grpcs', 'http', 'https']::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plugins_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "keyauth_credentials" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "consumer_id" UUID NOT NULL,
    "key_hash" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "keyauth_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "basicauth_credentials" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "consumer_id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "basicauth_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "acls" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "consumer_id" UUID NOT NULL,
    "group" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "acls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_hub_services" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "display_name" TEXT,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_hub_services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_hub_versions" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "gateway_service_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_hub_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dp_certificates" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "serial" TEXT NOT NULL,
    "cert_pem" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "not_before" TIMESTAMPTZ(3) NOT NULL,
    "not_after" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dp_certificates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "nodes" (
    "id" UUID NOT NULL,
    "runtime_group_id" UUID NOT NULL,
    "hostname" TEXT NOT NULL,
    "ip" TEXT,
    "version" TEXT NOT NULL,
    "config_hash" TEXT,
    "rejected_hash" TEXT,
    "last_error" TEXT,
    "incompatible" TEXT,
    "certificate_id" UUID,
    "cert_not_after" TIMESTAMPTZ(3),
    "hash_since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "nodes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_organization_id_idx" ON "users"("organization_id");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "personal_access_tokens_token_hash_key" ON "personal_access_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "personal_access_tokens_user_id_idx" ON "personal_access_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "runtime_groups_organization_id_name_key" ON "runtime_groups"("organization_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "services_runtime_group_id_name_key" ON "services"("runtime_group_id", "name");

-- CreateIndex
CREATE INDEX "routes_runtime_group_id_idx" ON "routes"("runtime_group_id");

-- CreateIndex
CREATE INDEX "routes_service_id_idx" ON "routes"("service_id");

-- CreateIndex
CREATE UNIQUE INDEX "routes_organization_id_name_key" ON "routes"("organization_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "consumers_runtime_group_id_username_key" ON "consumers"("runtime_group_id", "username");

-- CreateIndex
CREATE UNIQUE INDEX "consumers_runtime_group_id_custom_id_key" ON "consumers"("runtime_group_id", "custom_id");

-- CreateIndex
CREATE INDEX "plugins_runtime_group_id_idx" ON "plugins"("runtime_group_id");

-- CreateIndex
CREATE UNIQUE INDEX "plugins_runtime_group_id_instance_name_key" ON "plugins"("runtime_group_id", "instance_name");

-- CreateIndex
CREATE INDEX "keyauth_credentials_consumer_id_idx" ON "keyauth_credentials"("consumer_id");

-- CreateIndex
CREATE UNIQUE INDEX "keyauth_credentials_runtime_group_id_key_hash_key" ON "keyauth_credentials"("runtime_group_id", "key_hash");

-- CreateIndex
CREATE INDEX "basicauth_credentials_consumer_id_idx" ON "basicauth_credentials"("consumer_id");

-- CreateIndex
CREATE UNIQUE INDEX "basicauth_credentials_runtime_group_id_username_key" ON "basicauth_credentials"("runtime_group_id", "username");

-- CreateIndex
CREATE UNIQUE INDEX "acls_consumer_id_group_key" ON "acls"("consumer_id", "group");

-- CreateIndex
CREATE UNIQUE INDEX "service_hub_services_organization_id_name_key_key" ON "service_hub_services"("organization_id", "name_key");

-- CreateIndex
CREATE UNIQUE INDEX "service_hub_versions_gateway_service_id_key" ON "service_hub_versions"("gateway_service_id");

-- CreateIndex
CREATE UNIQUE INDEX "service_hub_versions_service_id_name_key" ON "service_hub_versions"("service_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "dp_certificates_serial_key" ON "dp_certificates"("serial");

-- CreateIndex
CREATE UNIQUE INDEX "dp_certificates_fingerprint_key" ON "dp_certificates"("fingerprint");

-- CreateIndex
CREATE INDEX "dp_certificates_runtime_group_id_idx" ON "dp_certificates"("runtime_group_id");

-- CreateIndex
CREATE INDEX "nodes_runtime_group_id_idx" ON "nodes"("runtime_group_id");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "personal_access_tokens" ADD CONSTRAINT "personal_access_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runtime_groups" ADD CONSTRAINT "runtime_groups_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "services" ADD CONSTRAINT "services_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "routes" ADD CONSTRAINT "routes_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "routes" ADD CONSTRAINT "routes_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "routes" ADD CONSTRAINT "routes_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consumers" ADD CONSTRAINT "consumers_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plugins" ADD CONSTRAINT "plugins_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plugins" ADD CONSTRAINT "plugins_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plugins" ADD CONSTRAINT "plugins_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "routes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plugins" ADD CONSTRAINT "plugins_consumer_id_fkey" FOREIGN KEY ("consumer_id") REFERENCES "consumers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "keyauth_credentials" ADD CONSTRAINT "keyauth_credentials_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "keyauth_credentials" ADD CONSTRAINT "keyauth_credentials_consumer_id_fkey" FOREIGN KEY ("consumer_id") REFERENCES "consumers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "basicauth_credentials" ADD CONSTRAINT "basicauth_credentials_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "basicauth_credentials" ADD CONSTRAINT "basicauth_credentials_consumer_id_fkey" FOREIGN KEY ("consumer_id") REFERENCES "consumers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "acls" ADD CONSTRAINT "acls_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "acls" ADD CONSTRAINT "acls_consumer_id_fkey" FOREIGN KEY ("consumer_id") REFERENCES "consumers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_hub_services" ADD CONSTRAINT "service_hub_services_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_hub_versions" ADD CONSTRAINT "service_hub_versions_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service_hub_services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_hub_versions" ADD CONSTRAINT "service_hub_versions_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_hub_versions" ADD CONSTRAINT "service_hub_versions_gateway_service_id_fkey" FOREIGN KEY ("gateway_service_id") REFERENCES "services"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dp_certificates" ADD CONSTRAINT "dp_certificates_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "nodes" ADD CONSTRAINT "nodes_runtime_group_id_fkey" FOREIGN KEY ("runtime_group_id") REFERENCES "runtime_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
