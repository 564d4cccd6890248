"""The team library: members, shared collections and their items, shared examples, shared
documents with their files, conflict copies, the revision counter and row-level security.

Every shared row carries `revision`, taken from one sequence under one transaction-scoped lock,
so revisions become visible in the order they were given out: a pull that remembers the highest
revision it saw never misses a row. Nothing is ever deleted: `deleted` is a tombstone, and
members hold no DELETE right at all. Row-level security lets a member change only what they
shared (or the items of collections they shared) unless they hold the team's editor role.

Revision ID: team_0001
Revises:
Create Date: 2026-12-03
"""

from typing import Any

from alembic import context, op

revision = "team_0001"
down_revision = None
branch_labels = None
depends_on = None

TEAM_SCHEMA = 1

# -- tables ---------------------------------------------------------------------------------------
# Caps match collection files (sharing/collection_file.py): 500 characters for short fields,
# 200,000 for long text, 50 prompts, a day of minutes; document files up to 50 MiB.
TABLES = r"""
CREATE TABLE safedesk.team_meta (
    name text PRIMARY KEY,
    value text NOT NULL
);

CREATE SEQUENCE safedesk.revision_seq AS bigint;

CREATE FUNCTION safedesk.short_text(v text, longest integer) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT v IS NOT NULL AND char_length(v) <= longest $$;

CREATE FUNCTION safedesk.valid_uid(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT v ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$' $$;

CREATE FUNCTION safedesk.valid_prompts(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_typeof(v) = 'array' AND jsonb_array_length(v) <= 50
       AND NOT EXISTS (
           SELECT 1 FROM jsonb_array_elements(v) AS e
            WHERE jsonb_typeof(e) <> 'string' OR char_length(e #>> '{}') > 200000)
$$;

CREATE TABLE safedesk.member (
    role name PRIMARY KEY DEFAULT current_user,
    display_name text NOT NULL CHECK (char_length(btrim(display_name)) BETWEEN 1 AND 100),
    joined_at timestamptz NOT NULL DEFAULT now(),
    left_team boolean NOT NULL DEFAULT false,
    revision bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX member_display_name ON safedesk.member (lower(display_name));
CREATE UNIQUE INDEX member_revision ON safedesk.member (revision);

CREATE TABLE safedesk.collection (
    uid text PRIMARY KEY CHECK (safedesk.valid_uid(uid)),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (safedesk.short_text(description, 200000)),
    shared_by name NOT NULL DEFAULT current_user,
    shared_at timestamptz NOT NULL DEFAULT now(),
    updated_by name NOT NULL DEFAULT current_user,
    changed_at timestamptz NOT NULL DEFAULT now(),
    deleted boolean NOT NULL DEFAULT false,
    revision bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX collection_revision ON safedesk.collection (revision);

CREATE TABLE safedesk.collection_item (
    uid text PRIMARY KEY CHECK (safedesk.valid_uid(uid)),
    collection_uid text NOT NULL REFERENCES safedesk.collection (uid),
    position double precision NOT NULL DEFAULT 0
        CHECK (position BETWEEN -1e15 AND 1e15),
    key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 500),
    kind text NOT NULL DEFAULT '' CHECK (safedesk.short_text(kind, 500)),
    report_key text NOT NULL DEFAULT '' CHECK (safedesk.short_text(report_key, 500)),
    report_title text NOT NULL DEFAULT '' CHECK (safedesk.short_text(report_title, 500)),
    title text NOT NULL DEFAULT '' CHECK (safedesk.short_text(title, 200000)),
    text text NOT NULL DEFAULT '' CHECK (safedesk.short_text(text, 200000)),
    note text NOT NULL DEFAULT '' CHECK (safedesk.short_text(note, 200000)),
    prompts jsonb NOT NULL DEFAULT '[]' CHECK (safedesk.valid_prompts(prompts)),
    minutes integer CHECK (minutes BETWEEN 0 AND 1440),
    shared_by name NOT NULL DEFAULT current_user,
    shared_at timestamptz NOT NULL DEFAULT now(),
    updated_by name NOT NULL DEFAULT current_user,
    changed_at timestamptz NOT NULL DEFAULT now(),
    deleted boolean NOT NULL DEFAULT false,
    revision bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX collection_item_revision ON safedesk.collection_item (revision);
CREATE INDEX collection_item_collection ON safedesk.collection_item (collection_uid);

CREATE TABLE safedesk.example (
    uid text PRIMARY KEY CHECK (safedesk.valid_uid(uid)),
    title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
    theme_key text NOT NULL DEFAULT '' CHECK (safedesk.short_text(theme_key, 500)),
    theme_title text NOT NULL DEFAULT '' CHECK (safedesk.short_text(theme_title, 500)),
    team text NOT NULL DEFAULT '' CHECK (safedesk.short_text(team, 500)),
    text text NOT NULL DEFAULT '' CHECK (safedesk.short_text(text, 200000)),
    outcomes text NOT NULL DEFAULT '' CHECK (safedesk.short_text(outcomes, 200000)),
    shared_by name NOT NULL DEFAULT current_user,
    shared_at timestamptz NOT NULL DEFAULT now(),
    updated_by name NOT NULL DEFAULT current_user,
    changed_at timestamptz NOT NULL DEFAULT now(),
    deleted boolean NOT NULL DEFAULT false,
    revision bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX example_revision ON safedesk.example (revision);

-- a document's original file, addressed by its content (so sharing it twice stores it once)
CREATE TABLE safedesk.document_file (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 52428800),
    shared_by name NOT NULL DEFAULT current_user,
    shared_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE safedesk.document (
    uid text PRIMARY KEY CHECK (safedesk.valid_uid(uid)),
    title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
    document_type text NOT NULL DEFAULT 'report' CHECK (document_type IN ('report', 'document')),
    source_name text NOT NULL DEFAULT '' CHECK (safedesk.short_text(source_name, 255)),
    sha256 text NOT NULL REFERENCES safedesk.document_file (sha256),
    size bigint NOT NULL CHECK (size BETWEEN 1 AND 52428800),
    shared_by name NOT NULL DEFAULT current_user,
    shared_at timestamptz NOT NULL DEFAULT now(),
    updated_by name NOT NULL DEFAULT current_user,
    changed_at timestamptz NOT NULL DEFAULT now(),
    deleted boolean NOT NULL DEFAULT false,
    revision bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX document_revision ON safedesk.document (revision);

-- the version that lost (or was refused), kept so that nobody's words are lost
CREATE TABLE safedesk.conflict (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind IN ('collection', 'collection_item', 'example', 'document')),
    uid text NOT NULL,
    reason text NOT NULL CHECK (reason IN ('stale', 'not-permitted', 'deleted')),
    fields jsonb NOT NULL
        CHECK (jsonb_typeof(fields) = 'object' AND octet_length(fields::text) <= 16777216),
    clashed text[] NOT NULL DEFAULT '{}',
    author name NOT NULL,
    authored_at timestamptz NOT NULL,
    recorded_by name NOT NULL DEFAULT current_user,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    resolved boolean NOT NULL DEFAULT false,
    resolved_by name,
    revision bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX conflict_revision ON safedesk.conflict (revision);
CREATE INDEX conflict_target ON safedesk.conflict (kind, uid);

-- what each pushed change did, so that sending it again (after a lost reply) does nothing twice
CREATE TABLE safedesk.applied_change (
    change_id uuid PRIMARY KEY,
    member name NOT NULL DEFAULT current_user,
    result jsonb NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
"""

# -- who may change what --------------------------------------------------------------------------
RIGHTS = r"""
CREATE FUNCTION safedesk.setting(p_name text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT value FROM safedesk.team_meta WHERE name = p_name $$;

CREATE FUNCTION safedesk.is_editor() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(pg_has_role(current_user, safedesk.setting('editor_role')::name, 'MEMBER'),
                    false)
$$;

CREATE FUNCTION safedesk.may_change_collection(p_uid text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM safedesk.collection c
                    WHERE c.uid = p_uid AND (c.shared_by = current_user OR safedesk.is_editor()))
$$;

CREATE FUNCTION safedesk.may_change(p_kind text, p_uid text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE p_kind
        WHEN 'collection' THEN safedesk.may_change_collection(p_uid)
        WHEN 'collection_item' THEN safedesk.may_change_collection(
            (SELECT i.collection_uid FROM safedesk.collection_item i WHERE i.uid = p_uid))
        WHEN 'example' THEN safedesk.is_editor() OR EXISTS (
            SELECT 1 FROM safedesk.example e WHERE e.uid = p_uid AND e.shared_by = current_user)
        WHEN 'document' THEN safedesk.is_editor() OR EXISTS (
            SELECT 1 FROM safedesk.document d WHERE d.uid = p_uid AND d.shared_by = current_user)
        ELSE false
    END
$$;

CREATE FUNCTION safedesk.writable_fields(p_kind text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_kind
        WHEN 'collection' THEN ARRAY['name', 'description']
        WHEN 'collection_item' THEN ARRAY['collection_uid', 'position', 'key', 'kind',
            'report_key', 'report_title', 'title', 'text', 'note', 'prompts', 'minutes']
        WHEN 'example' THEN ARRAY['title', 'theme_key', 'theme_title', 'team', 'text', 'outcomes']
        WHEN 'document' THEN ARRAY['title', 'document_type', 'source_name', 'sha256', 'size']
    END
$$;

ALTER TABLE safedesk.member ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON safedesk.member FOR SELECT USING (true);
CREATE POLICY join_team ON safedesk.member FOR INSERT WITH CHECK (role = current_user);
CREATE POLICY rename_self ON safedesk.member FOR UPDATE
    USING (role = current_user) WITH CHECK (role = current_user);

ALTER TABLE safedesk.collection ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON safedesk.collection FOR SELECT USING (true);
CREATE POLICY share ON safedesk.collection FOR INSERT WITH CHECK (shared_by = current_user);
CREATE POLICY change ON safedesk.collection FOR UPDATE
    USING (shared_by = current_user OR safedesk.is_editor())
    WITH CHECK (shared_by = current_user OR safedesk.is_editor());

ALTER TABLE safedesk.collection_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON safedesk.collection_item FOR SELECT USING (true);
CREATE POLICY share ON safedesk.collection_item FOR INSERT
    WITH CHECK (safedesk.may_change_collection(collection_uid));
CREATE POLICY change ON safedesk.collection_item FOR UPDATE
    USING (safedesk.may_change_collection(collection_uid))
    WITH CHECK (safedesk.may_change_collection(collection_uid));

ALTER TABLE safedesk.example ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON safedesk.example FOR SELECT USING (true);
CREATE POLICY share ON safedesk.example FOR INSERT WITH CHECK (shared_by = current_user);
CREATE POLICY change ON safedesk.example FOR UPDATE
    USING (shared_by = current_user OR safedesk.is_editor())
    WITH CHECK (shared_by = current_user OR safedesk.is_editor());

ALTER TABLE safedesk.document ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON safedesk.document FOR SELECT USING (true);
CREATE POLICY share ON safedesk.document FOR INSERT WITH CHECK (shared_by = current_user);
CREATE POLICY change ON safedesk.document FOR UPDATE
    USING (shared_by = current_user OR safedesk.is_editor())
    WITH CHECK (shared_by = current_user OR safedesk.is_editor());

ALTER TABLE safedesk.document_file ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON safedesk.document_file FOR SELECT USING (true);
CREATE POLICY share ON safedesk.document_file FOR INSERT WITH CHECK (shared_by = current_user);

ALTER TABLE safedesk.conflict ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON safedesk.conflict FOR SELECT USING (true);
CREATE POLICY keep ON safedesk.conflict FOR INSERT WITH CHECK (recorded_by = current_user);
CREATE POLICY resolve ON safedesk.conflict FOR UPDATE
    USING (author = current_user OR recorded_by = current_user OR safedesk.may_change(kind, uid))
    WITH CHECK (true);

ALTER TABLE safedesk.applied_change ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON safedesk.applied_change FOR SELECT USING (member = current_user);
CREATE POLICY record ON safedesk.applied_change FOR INSERT WITH CHECK (member = current_user);
"""

# -- stamps: revisions, authorship, tombstones ----------------------------------------------------
STAMPS = r"""
-- Taken before any row is written, held to the end of the transaction: revisions are given out
-- in commit order, so a reader's snapshot always holds a prefix of them (no late low revision).
CREATE FUNCTION safedesk.hold_revision_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(23294, 1);
    RETURN NULL;
END $$;

CREATE FUNCTION safedesk.stamp_shared() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := nextval('safedesk.revision_seq');
    NEW.updated_by := current_user;
    NEW.changed_at := least(coalesce(NEW.changed_at, now()), now());
    IF TG_OP = 'INSERT' THEN
        NEW.shared_by := current_user;
        NEW.shared_at := now();
    ELSE
        IF NEW.uid IS DISTINCT FROM OLD.uid THEN
            RAISE EXCEPTION 'a shared % keeps its uid', TG_TABLE_NAME
                USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.deleted AND NOT NEW.deleted THEN
            RAISE EXCEPTION 'a deleted shared % stays deleted (share it again instead)',
                TG_TABLE_NAME USING ERRCODE = 'check_violation';
        END IF;
        NEW.shared_by := OLD.shared_by;
        NEW.shared_at := OLD.shared_at;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION safedesk.keep_item_in_collection() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.collection_uid IS DISTINCT FROM OLD.collection_uid THEN
        RAISE EXCEPTION 'a shared item stays in its collection' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION safedesk.stamp_member() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := nextval('safedesk.revision_seq');
    IF TG_OP = 'INSERT' THEN
        NEW.joined_at := now();
    ELSIF NEW.role IS DISTINCT FROM OLD.role THEN
        RAISE EXCEPTION 'a member keeps their role' USING ERRCODE = 'check_violation';
    ELSE
        NEW.joined_at := OLD.joined_at;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION safedesk.stamp_conflict() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := nextval('safedesk.revision_seq');
    IF TG_OP = 'INSERT' THEN
        NEW.recorded_by := current_user;
        NEW.recorded_at := now();
        NEW.resolved := false;
        NEW.resolved_by := NULL;
        NEW.authored_at := least(NEW.authored_at, now());
    ELSE
        IF (NEW.id, NEW.kind, NEW.uid, NEW.reason, NEW.fields, NEW.clashed, NEW.author,
            NEW.authored_at, NEW.recorded_by, NEW.recorded_at)
           IS DISTINCT FROM
           (OLD.id, OLD.kind, OLD.uid, OLD.reason, OLD.fields, OLD.clashed, OLD.author,
            OLD.authored_at, OLD.recorded_by, OLD.recorded_at) THEN
            RAISE EXCEPTION 'a conflict copy can only be marked resolved'
                USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.resolved AND NOT NEW.resolved THEN
            RAISE EXCEPTION 'a resolved conflict stays resolved' USING ERRCODE = 'check_violation';
        END IF;
        NEW.resolved_by := CASE WHEN OLD.resolved THEN OLD.resolved_by ELSE current_user END;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION safedesk.stamp_file() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sha256 IS DISTINCT FROM encode(sha256(NEW.content), 'hex') THEN
        RAISE EXCEPTION 'a shared file must match its sha256' USING ERRCODE = 'check_violation';
    END IF;
    NEW.shared_by := current_user;
    NEW.shared_at := now();
    RETURN NEW;
END $$;

CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON safedesk.collection
    FOR EACH ROW EXECUTE FUNCTION safedesk.stamp_shared();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON safedesk.collection_item
    FOR EACH ROW EXECUTE FUNCTION safedesk.stamp_shared();
CREATE TRIGGER stay BEFORE UPDATE ON safedesk.collection_item
    FOR EACH ROW EXECUTE FUNCTION safedesk.keep_item_in_collection();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON safedesk.example
    FOR EACH ROW EXECUTE FUNCTION safedesk.stamp_shared();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON safedesk.document
    FOR EACH ROW EXECUTE FUNCTION safedesk.stamp_shared();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON safedesk.member
    FOR EACH ROW EXECUTE FUNCTION safedesk.stamp_member();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON safedesk.conflict
    FOR EACH ROW EXECUTE FUNCTION safedesk.stamp_conflict();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON safedesk.document_file
    FOR EACH ROW EXECUTE FUNCTION safedesk.stamp_file();

CREATE TRIGGER hold_revision_lock BEFORE INSERT OR UPDATE OR DELETE ON safedesk.collection
    FOR EACH STATEMENT EXECUTE FUNCTION safedesk.hold_revision_lock();
CREATE TRIGGER hold_revision_lock BEFORE INSERT OR UPDATE OR DELETE ON safedesk.collection_item
    FOR EACH STATEMENT EXECUTE FUNCTION safedesk.hold_revision_lock();
CREATE TRIGGER hold_revision_lock BEFORE INSERT OR UPDATE OR DELETE ON safedesk.example
    FOR EACH STATEMENT EXECUTE FUNCTION safedesk.hold_revision_lock();
CREATE TRIGGER hold_revision_lock BEFORE INSERT OR UPDATE OR DELETE ON safedesk.document
    FOR EACH STATEMENT EXECUTE FUNCTION safedesk.hold_revision_lock();
CREATE TRIGGER hold_revision_lock BEFORE INSERT OR UPDATE OR DELETE ON safedesk.member
    FOR EACH STATEMENT EXECUTE FUNCTION safedesk.hold_revision_lock();
CREATE TRIGGER hold_revision_lock BEFORE INSERT OR UPDATE OR DELETE ON safedesk.conflict
    FOR EACH STATEMENT EXECUTE FUNCTION safedesk.hold_revision_lock();
"""

# -- push: one change, with the conflict rule -----------------------------------------------------
# A change is {change_id, kind, uid, op: put|delete, base_revision, base: {field: value the
# client started from}, fields: {field: new value}, changed_at}. The function runs as the caller
# (SECURITY INVOKER), so row-level security judges every write it makes.
PUSH = r"""
CREATE FUNCTION safedesk.only_fields(row_data jsonb, names text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(n, row_data -> n), '{}'::jsonb) FROM unnest(names) AS n
$$;

CREATE FUNCTION safedesk.push(change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
    v_id uuid := (change ->> 'change_id')::uuid;
    v_kind text := change ->> 'kind';
    v_uid text := change ->> 'uid';
    v_op text := coalesce(change ->> 'op', 'put');
    v_base_rev bigint := (change ->> 'base_revision')::bigint;
    v_base jsonb := coalesce(change -> 'base', '{}'::jsonb);
    v_fields jsonb := coalesce(change -> 'fields', '{}'::jsonb);
    v_at timestamptz := least(coalesce((change ->> 'changed_at')::timestamptz, now()), now());
    v_allowed text[] := safedesk.writable_fields(change ->> 'kind');
    v_result jsonb;
    v_cur jsonb;
    v_apply jsonb;
    v_cols text;
    v_vals text;
    v_bad text;
    v_rows integer;
    v_clash text[] := '{}';
    v_loser jsonb;
    v_loser_by name;
    v_loser_at timestamptz;
    v_reason text;
    v_outcome text;
    v_error text;
    v_conflict uuid;
    v_revision bigint;
BEGIN
    IF v_id IS NULL OR v_uid IS NULL OR v_allowed IS NULL OR v_op NOT IN ('put', 'delete')
       OR jsonb_typeof(v_fields) <> 'object' OR jsonb_typeof(v_base) <> 'object' THEN
        RAISE EXCEPTION 'a change needs change_id, a known kind, uid, op put or delete, '
                        'and objects for base and fields' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT a.result INTO v_result FROM safedesk.applied_change a WHERE a.change_id = v_id;
    IF FOUND THEN
        RETURN v_result;  -- sent again after a lost reply: already done, do nothing twice
    END IF;
    SELECT string_agg(k, ', ') INTO v_bad FROM jsonb_object_keys(v_fields) AS k
     WHERE k <> ALL (v_allowed);
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'a shared % has no field %', v_kind, v_bad
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    PERFORM pg_advisory_xact_lock(23294, 1);
    EXECUTE format('SELECT to_jsonb(t) FROM safedesk.%I AS t WHERE t.uid = $1', v_kind)
       INTO v_cur USING v_uid;

    BEGIN
        IF v_cur IS NULL THEN
            IF v_op = 'delete' THEN
                v_outcome := 'gone';
            ELSIF v_kind = 'collection_item'
                  AND NOT EXISTS (SELECT 1 FROM safedesk.collection c
                                   WHERE c.uid = v_fields ->> 'collection_uid') THEN
                v_outcome := 'invalid';
                v_error := format('no shared collection %s', v_fields ->> 'collection_uid');
            ELSIF v_kind = 'collection_item'
                  AND EXISTS (SELECT 1 FROM safedesk.collection c
                               WHERE c.uid = v_fields ->> 'collection_uid')
                  AND NOT safedesk.may_change_collection(v_fields ->> 'collection_uid') THEN
                v_outcome := 'refused';
                v_reason := 'not-permitted';
                v_loser := v_fields;
                v_loser_by := current_user;
                v_loser_at := v_at;
                SELECT array_agg(k ORDER BY k) INTO v_clash FROM jsonb_object_keys(v_fields) k;
            ELSE
                SELECT string_agg(', ' || quote_ident(k), ''),
                       string_agg(', r.' || quote_ident(k), '')
                  INTO v_cols, v_vals FROM jsonb_object_keys(v_fields) AS k;
                EXECUTE format(
                    'INSERT INTO safedesk.%1$I (uid, changed_at%2$s) SELECT $1, $2%3$s '
                    'FROM jsonb_populate_record(NULL::safedesk.%1$I, $3) AS r',
                    v_kind, coalesce(v_cols, ''), coalesce(v_vals, ''))
                   USING v_uid, v_at, v_fields;
                v_outcome := 'applied';
            END IF;
        ELSIF NOT safedesk.may_change(v_kind, v_uid) THEN
            v_outcome := 'refused';
            IF v_op = 'put' THEN
                v_reason := 'not-permitted';
                v_loser := safedesk.only_fields(v_cur, v_allowed) || v_fields;
                v_loser_by := current_user;
                v_loser_at := v_at;
                SELECT array_agg(k ORDER BY k) INTO v_clash FROM jsonb_object_keys(v_fields) k;
            END IF;
        ELSIF (v_cur ->> 'deleted')::boolean THEN
            IF v_op = 'delete' THEN
                v_outcome := 'gone';
            ELSE
                v_outcome := 'deleted';
                v_reason := 'deleted';
                v_loser := safedesk.only_fields(v_cur, v_allowed) || v_fields;
                v_loser_by := current_user;
                v_loser_at := v_at;
            END IF;
        ELSIF v_op = 'delete' THEN
            EXECUTE format('UPDATE safedesk.%I SET deleted = true, changed_at = $2 WHERE uid = $1',
                           v_kind) USING v_uid, v_at;
            v_outcome := 'applied';
        ELSE
            v_apply := v_fields;
            v_outcome := 'applied';
            IF v_base_rev IS DISTINCT FROM (v_cur ->> 'revision')::bigint THEN
                -- stale: a field clashes when the server holds neither the client's starting
                -- value (someone else changed it) nor its new value (they made the same change)
                SELECT coalesce(array_agg(e.key ORDER BY e.key), '{}') INTO v_clash
                  FROM jsonb_each(v_fields) AS e
                 WHERE (v_cur -> e.key) IS DISTINCT FROM e.value
                   AND (v_cur -> e.key) IS DISTINCT FROM (v_base -> e.key);
                IF cardinality(v_clash) = 0 THEN
                    v_outcome := 'merged';
                ELSIF (v_at, current_user::text)
                      > ((v_cur ->> 'changed_at')::timestamptz, v_cur ->> 'updated_by') THEN
                    v_outcome := 'won';  -- the later change wins; the server's words are kept
                    v_reason := 'stale';
                    v_loser := safedesk.only_fields(v_cur, v_allowed);
                    v_loser_by := v_cur ->> 'updated_by';
                    v_loser_at := (v_cur ->> 'changed_at')::timestamptz;
                ELSE
                    v_outcome := 'lost';  -- the server's change was later; the client's is kept
                    v_reason := 'stale';
                    v_loser := safedesk.only_fields(v_cur, v_allowed) || v_fields;
                    v_loser_by := current_user;
                    v_loser_at := v_at;
                    v_apply := v_fields - v_clash;
                    v_at := greatest(v_at, (v_cur ->> 'changed_at')::timestamptz);
                END IF;
            END IF;
            IF v_apply <> '{}'::jsonb THEN
                SELECT string_agg(quote_ident(k), ', '), string_agg('r.' || quote_ident(k), ', ')
                  INTO v_cols, v_vals FROM jsonb_object_keys(v_apply) AS k;
                EXECUTE format(
                    'UPDATE safedesk.%1$I AS t SET (changed_at, %2$s) = (SELECT $2, %3$s '
                    'FROM jsonb_populate_record(NULL::safedesk.%1$I, $3) AS r) WHERE t.uid = $1',
                    v_kind, v_cols, v_vals)
                   USING v_uid, v_at, v_apply;
                GET DIAGNOSTICS v_rows = ROW_COUNT;
                IF v_rows <> 1 THEN
                    RAISE EXCEPTION 'the server refused to change shared % %', v_kind, v_uid
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
            END IF;
        END IF;
        IF v_loser IS NOT NULL THEN
            INSERT INTO safedesk.conflict (kind, uid, reason, fields, clashed, author, authored_at)
            VALUES (v_kind, v_uid, v_reason, v_loser, v_clash, v_loser_by, v_loser_at)
            RETURNING id INTO v_conflict;
        END IF;
    EXCEPTION
        WHEN check_violation OR not_null_violation OR foreign_key_violation
             OR invalid_text_representation OR numeric_value_out_of_range
             OR string_data_right_truncation OR datatype_mismatch OR invalid_parameter_value
             OR null_value_not_allowed THEN
            v_outcome := 'invalid';
            v_error := SQLERRM;
            v_conflict := NULL;
            v_clash := '{}';
    END;

    EXECUTE format('SELECT revision FROM safedesk.%I WHERE uid = $1', v_kind)
       INTO v_revision USING v_uid;
    v_result := jsonb_build_object(
        'change_id', v_id, 'outcome', v_outcome, 'revision', v_revision,
        'conflict_id', v_conflict, 'clashed', to_jsonb(coalesce(v_clash, '{}')), 'error', v_error);
    INSERT INTO safedesk.applied_change (change_id, result) VALUES (v_id, v_result);
    RETURN v_result;
END
$fn$;

CREATE FUNCTION safedesk.push_all(changes jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    results jsonb := '[]'::jsonb;
    one jsonb;
BEGIN
    IF jsonb_typeof(changes) <> 'array' THEN
        RAISE EXCEPTION 'push_all takes an array of changes'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR one IN SELECT value FROM jsonb_array_elements(changes) LOOP
        results := results || jsonb_build_array(safedesk.push(one));
    END LOOP;
    RETURN results;
END $$;
"""

# -- what members may touch -----------------------------------------------------------------------
GRANTS = r"""
CREATE FUNCTION safedesk.grant_team_rights() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    m text := safedesk.setting('member_role');
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA safedesk TO %I', m);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA safedesk TO %I', m);
    EXECUTE format('GRANT INSERT, UPDATE ON safedesk.member, safedesk.collection, '
                   'safedesk.collection_item, safedesk.example, safedesk.document, '
                   'safedesk.conflict TO %I', m);
    EXECUTE format('GRANT INSERT ON safedesk.document_file, safedesk.applied_change TO %I', m);
    EXECUTE format('GRANT USAGE ON SEQUENCE safedesk.revision_seq TO %I', m);
END $$;
REVOKE ALL ON FUNCTION safedesk.grant_team_rights() FROM PUBLIC;
"""


def upgrade() -> None:
    attributes: dict[str, Any] = context.config.attributes
    raw = op.get_bind().connection.driver_connection  # psycopg: runs $$-quoted bodies as they are
    for block in (TABLES, RIGHTS, STAMPS, PUSH, GRANTS):
        raw.execute(block)
    for name, value in (
        ("schema", str(TEAM_SCHEMA)),
        ("team_name", attributes["team_name"]),
        ("member_role", attributes["member_role"]),
        ("editor_role", attributes["editor_role"]),
    ):
        raw.execute("INSERT INTO safedesk.team_meta (name, value) VALUES (%s, %s)", (name, value))
    raw.execute("INSERT INTO safedesk.team_meta (name, value) VALUES ('created_at', now()::text)")
    raw.execute("SELECT safedesk.grant_team_rights()")


def downgrade() -> None:
    raise NotImplementedError("a team library is never downgraded")
