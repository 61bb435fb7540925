#!/usr/bin/env bash
# Runs the whole test suite. (Placeholder until the foundation issue adds the throwaway PostgreSQL.)
set -euo pipefail
cd "$(dirname "$0")"
dotnet test WeChatAssist.sln
