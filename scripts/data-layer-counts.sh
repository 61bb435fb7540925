#!/usr/bin/env bash
# Counts how the server reaches the database (issue #16): connections opened, commands created, hand-written
# parameter adds, ordinal reads, provider switches outside the dialect, endpoint files with SQL. grep-based, so the
# figures are approximate but comparable between commits: ./scripts/data-layer-counts.sh [source folder]
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-src/WeChatAssist.Server}"

# count PATTERN [grep options...]: "<occurrences> in <files> files" over the server's C# sources.
count() {
  local pattern=$1; shift
  local hits files
  hits=$(grep -rEo --include='*.cs' "$@" "$pattern" "$src" | wc -l)
  files=$(grep -rElE --include='*.cs' "$@" "$pattern" "$src" | wc -l)
  echo "$hits in $files files"
}

dialect_files=(--exclude=SqlDialect.cs --exclude=PostgresDialect.cs --exclude=SqliteDialect.cs)

echo "connections opened:                  $(count 'OpenConnectionAsync\(|\.OpenAsync\(|\.Open\(\)')"
echo "commands created:                    $(count 'CreateCommand\(|\.Command\((null|transaction|tx)')"
echo "hand parameter adds:                 $(count '\.(AddParameter|AddInstant|AddText|AddWithValue)\(|Parameters\.Add\(')"
echo "ordinal reads:                       $(count '\.(GetInt64|GetInt32|GetInt16|GetString|GetBoolean|GetDouble|GetDecimal|GetGuid|GetDateTime|GetFieldValue<[A-Za-z?]+>|GetValue|GetInstant|GetDate|IsDBNull)\([a-z0-9_]*[0-9a-z]\b' )"
echo "provider switches outside dialect:   $(count 'DatabaseProvider\.(Postgres|Sqlite)' "${dialect_files[@]}")"
echo "  of which outside Data/:            $(count 'DatabaseProvider\.(Postgres|Sqlite)' "${dialect_files[@]}" --exclude-dir=Data)"
endpoint_sql=$(grep -rlE --include='*Endpoints.cs' '"[^"]*\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b|^\s*(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b|CreateCommand\(' "$src" || true)
echo "endpoint files with SQL:             $(printf '%s' "$endpoint_sql" | grep -c . || true)"
printf '%s\n' "$endpoint_sql" | grep . | sed 's/^/  /' || true
echo "EF Core references (csproj):         $(grep -c 'EntityFrameworkCore' "$src"/*.csproj || true)"
# The residents table is owned by Residents/ (issue #16): SQL naming it (statements, and the table name handed to a
# bulk write or id allocation) counts wherever its text is. Statements elsewhere that compose Residents' published
# fragments (ResidentSql) are listed apart: their residents SQL lives in Residents/.
residents_sql='\b(FROM|JOIN|INTO|UPDATE|TABLE) residents\b|, "residents",'
residents_outside=$(grep -rlE --include='*.cs' "$residents_sql" "$src" | grep -v "^$src/Residents/" || true)
echo "files querying residents outside Residents/: $(printf '%s' "$residents_outside" | grep -c . || true)"
printf '%s\n' "$residents_outside" | grep . | sed "s|^$src/|  |" || true
echo "  files composing ResidentSql, by folder: $(grep -rlE --include='*.cs' 'ResidentSql\.' "$src" | grep -v "^$src/Residents/" | sed "s|$src/||" | cut -d/ -f1 | sort | uniq -c | tr -s ' ' | tr '\n' ',' | sed 's/,$//')"
