#!/usr/bin/env python3
"""Checks the resident-question set (issue #13) for format and coverage, and prints its counts.

Usage: python3 tests/chat-evaluation/residents/check.py [--notices DIR] [--leaks REPO_ROOT]

With --notices (the folder holding the notices 001_*.txt .. 004_*.txt), every key phrase is also looked up in
its notice: at least one `/` alternative must occur there (whitespace ignored), so a phrase was copied, not
invented. With --leaks (the repository root), every test question's text (whitespace removed, 6 characters or
more) is looked for in the files under src/ and localization/; a hit means the test split leaked into what the
chatbot is built from, and is reported by question id and file only. Exits 1 on any error. Without --leaks it
reads only this folder: it never needs the chatbot, its bank or the policies.

The validation splits (val/, ids psv-/djv-/spv-/wxv-; val2/, ids ps2-/dj2-/sp2-/wx2-; val3/, ids ps3-/dj3-/sp3-/wx3-; val4/, ids ps4-/dj4-/sp4-/wx4-; val5/, ids ps5-/dj5-/sp5-/wx5-) are checked for format like dev/ and test/, printed on its own
row, and left out of the clause-coverage rule and the "all" row, which stay those of dev/ + test/.
"""
import collections
import datetime
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["id", "policy", "today", "class", "text", "expect", "clause", "note"]
CLAUSE_HEADER = ["policy", "clause", "title"]
CLASSES = ["amount", "date", "clause", "clarification", "out_of_scope"]
POLICIES = {  # policy -> (id prefix, notice number)
    "dianjiang-xinmin-2024": ("dj", "001"),
    "suiping-2025": ("sp", "002"),
    "pengshui-2024": ("ps", "003"),
    "wenxi-2024": ("wx", "004"),
}
AMOUNT = re.compile(r"^\d+(\.\d+)?元$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

errors = []


def error(where, message):
    errors.append(f"{where}: {message}")


def read_tsv(path, header):
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != header:
        error(path, f"first line must be the header {' '.join(header)}")
        return []
    rows = []
    for n, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) != len(header):
            error(f"{path}:{n}", f"{len(cells)} columns, expected {len(header)}")
            continue
        rows.append((n, dict(zip(header, cells))))
    return rows


def valid_date(text):
    try:
        datetime.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def notice_text(notices, policy):
    if not notices:
        return None
    found = glob.glob(os.path.join(notices, POLICIES[policy][1] + "_*.txt"))
    if not found:
        return None
    with open(found[0], encoding="utf-8") as f:
        return re.sub(r"\s+", "", f.read())


def find_leaks(root):
    """Test questions must not be copied into anything the chatbot is built from (src/, localization/)."""
    questions = {}
    for path in glob.glob(os.path.join(HERE, "test", "*.tsv")):
        for _, row in read_tsv(path, HEADER):
            text = re.sub(r"\s+", "", row["text"])
            if len(text) >= 6:
                questions[row["id"]] = text
    for folder in ("src", "localization"):
        for directory, _, files in os.walk(os.path.join(root, folder)):
            if os.sep + "bin" in directory or os.sep + "obj" in directory:
                continue
            for name in files:
                path = os.path.join(directory, name)
                try:
                    with open(path, encoding="utf-8") as f:
                        content = re.sub(r"\s+", "", f.read())
                except (UnicodeDecodeError, OSError):
                    continue
                for qid, text in questions.items():
                    if text in content:
                        error(os.path.relpath(path, root), f"contains the text of test question {qid}")


def main():
    notices = None
    if "--notices" in sys.argv:
        notices = sys.argv[sys.argv.index("--notices") + 1]

    clauses = {}  # policy -> {clause: title}
    for path in sorted(glob.glob(os.path.join(HERE, "clauses", "*.tsv"))):
        policy = os.path.basename(path)[:-4]
        if policy not in POLICIES:
            error(path, "unknown policy")
            continue
        clauses[policy] = {}
        for n, row in read_tsv(path, CLAUSE_HEADER):
            if row["policy"] != policy:
                error(f"{path}:{n}", f"policy {row['policy']} in the file of {policy}")
            if row["clause"] in clauses[policy]:
                error(f"{path}:{n}", f"clause {row['clause']} listed twice")
            if not row["clause"] or not row["title"]:
                error(f"{path}:{n}", "clause and title must not be empty")
            clauses[policy][row["clause"]] = row["title"]

    ids = {}
    counts = collections.Counter()  # (policy, split, class)
    covered = collections.defaultdict(collections.Counter)  # policy -> clause -> questions
    covered_test = collections.defaultdict(set)
    texts = collections.defaultdict(set)
    for split in ("dev", "test", "val", "val2", "val3", "val4", "val5", "train"):
        for path in sorted(glob.glob(os.path.join(HERE, split, "*.tsv"))):
            policy = os.path.basename(path)[:-4]
            if policy not in POLICIES:
                error(path, "unknown policy")
                continue
            if policy not in clauses:
                error(path, f"no clauses/{policy}.tsv")
            notice = notice_text(notices, policy)
            for n, row in read_tsv(path, HEADER):
                where = f"{split}/{policy}.tsv:{n} {row['id']}"
                prefix = POLICIES[policy][0] + {"val": "v", "val2": "2", "val3": "3", "val4": "4", "val5": "5", "train": "t"}.get(split, "")
                if not re.fullmatch(prefix + r"-\d{3,}", row["id"]):
                    error(where, f"id must look like {prefix}-001")
                if row["id"] in ids:
                    error(where, f"id also used at {ids[row['id']]}")
                ids[row["id"]] = where
                if row["policy"] != policy:
                    error(where, f"policy {row['policy']} in the file of {policy}")
                if not DATE.match(row["today"]) or not valid_date(row["today"]):
                    error(where, f"today {row['today']!r} is not a YYYY-MM-DD date")
                cls = row["class"]
                if cls not in CLASSES:
                    error(where, f"class {cls!r} is not one of {', '.join(CLASSES)}")
                text = row["text"].strip()
                if not text:
                    error(where, "empty text")
                if text in texts[policy]:
                    error(where, "the same text is already in the set")
                texts[policy].add(text)

                facts = [f for f in row["expect"].split("|")] if row["expect"] else []
                if cls in ("clarification", "out_of_scope") and facts:
                    error(where, f"{cls} expects no facts")
                if cls in ("amount", "date", "clause") and not facts:
                    error(where, f"{cls} needs at least one expected fact")
                kinds = set()
                for fact in facts:
                    # A fact is one or more alternatives ("0元/免征代缴"): any one of them in the answer suffices.
                    phrases = []
                    for alternative in fact.split("/"):
                        if AMOUNT.match(alternative):
                            kinds.add("amount")
                        elif DATE.match(alternative):
                            kinds.add("date")
                            if not valid_date(alternative):
                                error(where, f"{alternative} is not a calendar date")
                        else:
                            phrases.append(alternative)
                            if re.search(r"\d+元|\d{4}-\d{2}-\d{2}", alternative):
                                error(where, f"{alternative!r} mixes an amount or date into a key phrase")
                            if not 2 <= len(alternative) <= 13:
                                error(where, f"key phrase {alternative!r} must have 2 to 13 characters")
                    if phrases and len(phrases) == len(fact.split("/")):
                        kinds.add("phrase")
                        if notice is not None and not any(re.sub(r"\s+", "", a) in notice for a in phrases):
                            error(where, f"key phrase {fact!r} does not occur in notice {POLICIES[policy][1]}")
                if cls == "amount" and "amount" not in kinds:
                    error(where, "an amount question must expect an amount (digits + 元)")
                if cls == "date" and "date" not in kinds:
                    error(where, "a date question must expect a YYYY-MM-DD date")

                named = [c for c in row["clause"].split("|")] if row["clause"] else []
                # (val4's writers left a clarification's clause empty where the group's clause is not one place.)
                if not named and cls != "out_of_scope" and not (split in ("val4", "val5") and cls == "clarification"):
                    error(where, "clause is empty")
                for clause in named:
                    if clause not in clauses.get(policy, {}):
                        error(where, f"clause {clause!r} is not in clauses/{policy}.tsv")
                    if split in ("val", "val2", "val3", "val4", "val5", "train"):
                        continue  # the validation and training splits is checked for format only; coverage is dev + test's
                    covered[policy][clause] += 1
                    if split == "test":
                        covered_test[policy].add(clause)
                counts[(policy, split, cls)] += 1

    if "--leaks" in sys.argv:
        find_leaks(sys.argv[sys.argv.index("--leaks") + 1])

    warnings = []
    for policy, listed in clauses.items():
        if not any(p == policy and s in ("dev", "test") for p, s, _ in counts):
            warnings.append(f"{policy}: clauses listed but no questions yet")
            continue
        for clause in listed:
            if covered[policy][clause] < 2:
                error(f"clauses/{policy}.tsv", f"clause {clause} is covered by {covered[policy][clause]} question(s), needs 2")
            elif clause not in covered_test[policy]:
                warnings.append(f"{policy}: clause {clause} has no question in test/")

    policies = sorted({p for p, _, _ in counts})
    print(f"{'policy':24} {'split':5} " + " ".join(f"{c:>13}" for c in CLASSES) + f" {'total':>6}")
    # "all" is dev + test (the set issue #13 describes); the validation split is printed on its own line.
    for policy in policies:
        for split in ("dev", "test", "all") + tuple(v for v in ("val", "val2", "val3", "val4", "val5", "train") if any(p == policy and s == v for p, s, _ in counts)):
            row = [sum(counts[(policy, s, c)] for s in (("dev", "test") if split == "all" else (split,)))
                   for c in CLASSES]
            print(f"{policy:24} {split:5} " + " ".join(f"{v:13}" for v in row) + f" {sum(row):6}")
    for split in ("dev", "test", "all", "val", "val2", "val3", "val4", "val5", "train"):
        row = [sum(v for (p, s, c), v in counts.items() if c == cls and (s == split or (split == "all" and s in ("dev", "test"))))
               for cls in CLASSES]
        print(f"{'ALL':24} {split:5} " + " ".join(f"{v:13}" for v in row) + f" {sum(row):6}")
    for policy in policies:
        total = sum(v for (p, s, _), v in counts.items() if p == policy and s in ("dev", "test"))
        test = sum(v for (p, s, _), v in counts.items() if p == policy and s == "test")
        print(f"{policy}: {len(clauses.get(policy, {}))} clauses, all covered >= 2: "
              f"{all(covered[policy][c] >= 2 for c in clauses.get(policy, {}))}, test share {test / total:.0%}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    print(f"{len(errors)} error(s)" + ("" if notices else " (key phrases not looked up: no --notices)"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
