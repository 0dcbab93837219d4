-- When a runtime group's config last changed: a node on another hash counts as
-- "Out of sync" only once it has been off for more than 10 s after this time.
-- A trigger keeps it right for every writer that bumps config_version.
ALTER TABLE "runtime_groups" ADD COLUMN "config_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

CREATE FUNCTION gatehouse_config_changed_at() RETURNS trigger AS $$
BEGIN
  NEW.config_changed_at := clock_timestamp();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "runtime_groups_config_changed_at"
  BEFORE UPDATE OF "config_version" ON "runtime_groups"
  FOR EACH ROW WHEN (NEW."config_version" IS DISTINCT FROM OLD."config_version")
  EXECUTE FUNCTION gatehouse_config_changed_at();
