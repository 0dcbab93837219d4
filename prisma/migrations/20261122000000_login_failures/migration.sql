-- Failed logins per throttle key, in the database so every CP process counts
-- the same failures (auth/pg-login-throttle.ts). The index serves the sweep
-- that deletes rows whose last failure left the window.

-- CreateTable
CREATE TABLE "login_failures" (
    "key" TEXT NOT NULL,
    "failed_at" TIMESTAMPTZ(3)[] NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "login_failures_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "login_failures_updated_at_idx" ON "login_failures"("updated_at");
