-- The MCP gateway keeps each run's boundary in memory between calls. Any change that can alter a
-- boundary (kill switches, identity status, tokens, capability policies, contract scope or freeze,
-- a run finishing) tells every app process at commit, through NOTIFY, to drop what it keeps.
CREATE FUNCTION "mandate_notify_policy_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mandate_policy', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "McpServer_policy_notify" AFTER INSERT OR UPDATE OR DELETE ON "McpServer"
  FOR EACH STATEMENT EXECUTE FUNCTION "mandate_notify_policy_change"();
CREATE TRIGGER "McpCapability_policy_notify" AFTER INSERT OR UPDATE OR DELETE ON "McpCapability"
  FOR EACH STATEMENT EXECUTE FUNCTION "mandate_notify_policy_change"();
CREATE TRIGGER "AgentIdentity_policy_notify" AFTER INSERT OR UPDATE OR DELETE ON "AgentIdentity"
  FOR EACH STATEMENT EXECUTE FUNCTION "mandate_notify_policy_change"();
CREATE TRIGGER "AgentToken_policy_notify" AFTER UPDATE ON "AgentToken"
  FOR EACH ROW WHEN (OLD."revokedAt" IS DISTINCT FROM NEW."revokedAt" OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt" OR OLD."graceEndsAt" IS DISTINCT FROM NEW."graceEndsAt")
  EXECUTE FUNCTION "mandate_notify_policy_change"();
CREATE TRIGGER "TaskContract_policy_notify" AFTER UPDATE OR DELETE ON "TaskContract"
  FOR EACH STATEMENT EXECUTE FUNCTION "mandate_notify_policy_change"();
CREATE TRIGGER "ContractCapability_policy_notify" AFTER INSERT OR UPDATE OR DELETE ON "ContractCapability"
  FOR EACH STATEMENT EXECUTE FUNCTION "mandate_notify_policy_change"();
CREATE TRIGGER "Run_policy_notify" AFTER UPDATE ON "Run"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "mandate_notify_policy_change"();
