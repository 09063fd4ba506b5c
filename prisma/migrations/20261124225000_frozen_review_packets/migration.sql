-- A frozen review packet is never changed or removed: a later change produces a new packet version.
CREATE FUNCTION mandate_refuse_frozen_packet_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."status" = 'FROZEN' THEN
    RAISE EXCEPTION 'ReviewPacket % (version %) is frozen: % is not allowed', OLD."id", OLD."version", TG_OP
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Write a new packet version instead.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "ReviewPacket_frozen"
  BEFORE UPDATE OR DELETE ON "ReviewPacket"
  FOR EACH ROW EXECUTE FUNCTION mandate_refuse_frozen_packet_change();
