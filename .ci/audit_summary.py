"""Read pip-audit's JSON report: fail on a known vulnerability that has a fixed version, warn on
one without a fix, and say plainly how many dependencies could not be checked (pip-audit asks
PyPI's advisory data over the network; a machine without that access audits nothing, and
pip-audit itself still exits 0)."""

import json
import sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
dependencies = report["dependencies"]
skipped = [d for d in dependencies if d.get("skip_reason")]
checked = [d for d in dependencies if not d.get("skip_reason")]
fixable, unfixed = [], []
for dependency in checked:
    for vuln in dependency.get("vulns", []):
        entry = f"{dependency['name']} {dependency.get('version', '')}: {vuln['id']}"
        if vuln.get("fix_versions"):
            fixable.append(f"{entry} (fixed in {', '.join(vuln['fix_versions'])})")
        else:
            unfixed.append(entry)
print(
    f"pip-audit: {len(checked)} of {len(dependencies)} dependencies checked, "
    f"{len(skipped)} could not be checked"
)
if skipped and not checked:
    print(
        "AUDIT INCOMPLETE: the advisory service could not be reached from this machine, so no "
        "dependency was checked. Run `pip-audit -r requirements.txt` where PyPI is reachable."
    )
for line in unfixed:
    print("known vulnerability without a fix (not failing):", line)
for line in fixable:
    print("KNOWN VULNERABILITY WITH A FIX:", line)
sys.exit(1 if fixable else 0)
