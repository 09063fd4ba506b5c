-- Evidence receipts and audit events are append-only: the database itself refuses to change or
-- remove them, whoever asks (the app, a migration, a person with psql and the app's credentials).

CREATE FUNCTION mandate_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Evidence and audit records are never changed; write a new record instead.';
END;
$$;

CREATE TRIGGER "EvidenceReceipt_append_only"
  BEFORE UPDATE OR DELETE ON "EvidenceReceipt"
  FOR EACH ROW EXECUTE FUNCTION mandate_refuse_change();

CREATE TRIGGER "EvidenceReceipt_no_truncate"
  BEFORE TRUNCATE ON "EvidenceReceipt"
  FOR EACH STATEMENT EXECUTE FUNCTION mandate_refuse_change();

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION mandate_refuse_change();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION mandate_refuse_change();
