-- The deployment ledger is append-only at the database: no UPDATE, no DELETE, no TRUNCATE, whoever
-- connects. The one exception is a project's deletion: ledger rows carry no foreign key (they must
-- outlive their deployment row), so an AFTER DELETE trigger on "Project" removes them, and the guard
-- lets a DELETE through only when the row's project no longer exists. A live project's ledger can
-- therefore never be edited or shortened by SQL, while deleting a project (or its organisation,
-- which cascades to its projects) leaves no orphaned ledger behind.
--
-- The function bodies are E'' strings with \073 standing for the semicolon: the offline migration
-- tooling (the pg driver adapter) splits a script at every semicolon, dollar quotes included.

CREATE FUNCTION "deployment_ledger_guard"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' AND NOT EXISTS (SELECT 1 FROM "Project" WHERE "id" = OLD."projectId") THEN
    RETURN OLD\073
  END IF\073
  RAISE EXCEPTION ''DeploymentLedgerEntry is append-only: % refused'', TG_OP USING ERRCODE = ''insufficient_privilege''\073
END
';

CREATE TRIGGER "DeploymentLedgerEntry_append_only"
BEFORE UPDATE OR DELETE ON "DeploymentLedgerEntry"
FOR EACH ROW EXECUTE FUNCTION "deployment_ledger_guard"();

CREATE FUNCTION "deployment_ledger_no_truncate"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  RAISE EXCEPTION ''DeploymentLedgerEntry is append-only: TRUNCATE refused'' USING ERRCODE = ''insufficient_privilege''\073
END
';

CREATE TRIGGER "DeploymentLedgerEntry_no_truncate"
BEFORE TRUNCATE ON "DeploymentLedgerEntry"
FOR EACH STATEMENT EXECUTE FUNCTION "deployment_ledger_no_truncate"();

CREATE FUNCTION "deployment_ledger_purge_project"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  DELETE FROM "DeploymentLedgerEntry" WHERE "projectId" = OLD."id"\073
  RETURN OLD\073
END
';

CREATE TRIGGER "Project_purge_deployment_ledger"
AFTER DELETE ON "Project"
FOR EACH ROW EXECUTE FUNCTION "deployment_ledger_purge_project"();
