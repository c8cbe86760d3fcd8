#!/usr/bin/env python3
"""Validates an OCDS 1.1 release package against the 1.1.5 schemas kept beside this file
(copied unchanged from open-contracting/standard, tag 1__1__5; Apache 2.0, see LICENSE),
offline: the package schema's reference to the public release schema resolves to the local
copy. Prints the first errors; exit status 1 when there are any.

    python3 Tests/ocds-1.1.5/validate.py package.json
"""
import json
import pathlib
import sys

from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

here = pathlib.Path(__file__).parent
release = json.loads((here / "release-schema.json").read_text())
package = json.loads((here / "release-package-schema.json").read_text())
registry = Registry().with_resource(
    "https://standard.open-contracting.org/schema/1__1__5/release-schema.json",
    Resource.from_contents(release, default_specification=DRAFT4))
validator = validator_for(package)(package, registry=registry, format_checker=validator_for(package).FORMAT_CHECKER)
errors = sorted(validator.iter_errors(json.loads(pathlib.Path(sys.argv[1]).read_text())), key=lambda error: list(error.absolute_path))
for error in errors[:20]:
    print("/".join(map(str, error.absolute_path)), error.message)
sys.exit(1 if errors else 0)
