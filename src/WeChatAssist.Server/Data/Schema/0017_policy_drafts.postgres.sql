-- Schema version 17 (PostgreSQL): policy drafts a bureau member uploads and a second one approves, and the
-- published policies (versioned per policy id, immutable: a correction is a new version). Nodes poll
-- published_policies and load a new version without a restart.
CREATE TABLE policy_drafts (
  id bigserial PRIMARY KEY,
  policy_id text,
  county text,
  file_name text NOT NULL,
  yaml text NOT NULL,
  faults text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'published')),
  uploaded_by text NOT NULL,
  uploaded_at timestamptz NOT NULL,
  approved_by text,
  approved_at timestamptz
);
CREATE INDEX policy_drafts_status ON policy_drafts (status, id);

CREATE TABLE published_policies (
  policy_id text NOT NULL,
  version integer NOT NULL,
  yaml text NOT NULL,
  draft_id bigint NOT NULL REFERENCES policy_drafts (id),
  uploaded_by text NOT NULL,
  approved_by text NOT NULL,
  published_at timestamptz NOT NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE FUNCTION published_policies_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published policies are immutable: publish a new version instead';
END;
$$;
CREATE TRIGGER published_policies_immutable BEFORE UPDATE OR DELETE ON published_policies
  FOR EACH ROW EXECUTE FUNCTION published_policies_immutable();
