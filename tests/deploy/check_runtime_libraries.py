#!/usr/bin/env python3
"""Check that the Dockerfile's runtime stage installs every shared library the binary needs.

ldd lists the libraries the built binary loads; dpkg -S maps each to the Debian package that
ships it on this (Debian 12) machine. The runtime stage starts from debian:12-slim, a minbase
image: the Essential and Priority "required" packages with their dependencies. It adds the
packages of its one `apt-get install`. So:

* a library the binary links directly (DT_NEEDED) must come from a package named in that
  install list or from the base image;
* every other library ldd lists must come from the base image or from a package that the
  listed packages pull in through Depends or Pre-Depends;
* every listed package except ca-certificates must ship a library the binary loads, so the
  image carries nothing the binary does not use.

Exit status: 0 when every library is covered, 1 with one line per problem otherwise.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys


def run(command):
    """Runs a command and returns its stdout; a failure raises with the command's stderr."""
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {completed.stderr.strip()}")
    return completed.stdout


def dockerfile_logical_lines(text):
    """Joins backslash continuations so each instruction is one line, comments dropped."""
    lines = []
    current = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        # Docker drops comment lines and empty lines, also inside a continued instruction.
        if stripped.startswith("#") or (not stripped and current):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        if current.strip():
            lines.append(current.strip())
        current = ""
    if current.strip():
        lines.append(current.strip())
    return lines


def runtime_install_packages(dockerfile_text):
    """Returns the package names of the last stage's `apt-get install` commands."""
    lines = dockerfile_logical_lines(dockerfile_text)
    stage_starts = [index for index, line in enumerate(lines) if line.upper().startswith("FROM ")]
    if not stage_starts:
        raise ValueError("the Dockerfile has no FROM instruction")
    runtime_lines = lines[stage_starts[-1]:]

    packages = []
    for line in runtime_lines:
        if not line.upper().startswith("RUN "):
            continue
        for command in re.split(r"&&|;|\|\|", line[4:]):
            words = shlex.split(command)
            while words and "=" in words[0] and not words[0].startswith("-"):
                words.pop(0)  # environment assignments such as DEBIAN_FRONTEND=noninteractive
            if words[:2] != ["apt-get", "install"]:
                continue
            for word in words[2:]:
                if not word.startswith("-"):
                    packages.append(word.split("=", 1)[0])
    return packages


def ldd_libraries(binary):
    """Returns (soname, path) pairs from ldd; a library ldd cannot find has path None."""
    libraries = []
    for line in run(["ldd", binary]).splitlines():
        line = line.strip()
        arrow = re.match(r"^(\S+) => (\S+) \(0x[0-9a-f]+\)$", line)
        missing = re.match(r"^(\S+) => not found$", line)
        loader = re.match(r"^(/\S+) \(0x[0-9a-f]+\)$", line)
        if arrow:
            libraries.append((arrow.group(1), arrow.group(2)))
        elif missing:
            libraries.append((missing.group(1), None))
        elif loader:
            libraries.append((os.path.basename(loader.group(1)), loader.group(1)))
    return libraries


def needed_sonames(binary):
    """Returns the DT_NEEDED entries of the binary: the libraries it links directly."""
    output = run(["objdump", "-p", binary])
    return set(re.findall(r"^\s*NEEDED\s+(\S+)$", output, re.MULTILINE))


def path_spellings(path):
    """Returns path, its real path, and both with and without the merged /usr prefix."""
    spellings = [path, os.path.realpath(path)]
    for spelling in list(spellings):
        spellings.append(spelling[len("/usr"):] if spelling.startswith("/usr/") else "/usr" + spelling)
    return spellings


def owning_packages(paths):
    """Returns {path: package} for the paths dpkg has a record of, asking dpkg -S once for all."""
    spellings = {spelling: path for path in paths for spelling in path_spellings(path)}
    # dpkg -S exits 1 when any one path is unknown but still prints the others, so ignore it.
    completed = subprocess.run(["dpkg", "-S", *spellings], capture_output=True, text=True, check=False)
    owners = {}
    for line in completed.stdout.splitlines():
        packages, _, spelling = line.partition(": ")
        if spelling in spellings and "diversion" not in packages:
            owners.setdefault(spellings[spelling], packages.split(",")[0].split(":")[0].strip())
    return owners


def installed_packages():
    """Returns {package: fields} for every installed package, read from dpkg in one call."""
    columns = ["Package", "db:Status-Abbrev", "Essential", "Priority", "Depends", "Pre-Depends"]
    output = run(["dpkg-query", "-W", "-f=" + "\t".join(f"${{{column}}}" for column in columns) + "\n"])
    packages = {}
    for line in output.splitlines():
        values = dict(zip(columns, line.split("\t")))
        if values.get("db:Status-Abbrev", "").startswith("ii"):
            packages[values["Package"]] = values
    return packages


def dependencies(package, packages):
    """Returns the installed packages that package Depends or Pre-Depends on."""
    fields = packages.get(package, {})
    text = ", ".join(filter(None, [fields.get("Depends", ""), fields.get("Pre-Depends", "")]))
    names = set()
    for clause in filter(None, (part.strip() for part in text.split(","))):
        for alternative in clause.split("|"):
            name = alternative.strip().split(" ", 1)[0].split(":", 1)[0]
            if name in packages:
                names.add(name)
    return names


def dependency_closure(roots, packages):
    """Returns roots and every installed package they pull in, transitively."""
    closure = set()
    pending = list(roots)
    while pending:
        package = pending.pop()
        if package in closure:
            continue
        closure.add(package)
        pending.extend(dependencies(package, packages) - closure)
    return closure


def base_image_packages(packages):
    """Returns the packages of a Debian minbase image: Essential or required, plus dependencies."""
    roots = [name for name, fields in packages.items()
             if fields.get("Essential") == "yes" or fields.get("Priority") == "required"]
    return dependency_closure(roots, packages)


# Packages the runtime stage installs for their data rather than for a library.
data_packages = {"ca-certificates"}


# Sanitizer runtimes appear when the test suite runs on a sanitized build. The container builds
# without sanitizers, so the runtime stage rightly ships none of them.
SANITIZER_RUNTIME = re.compile(r"^lib(asan|ubsan|tsan|lsan)\.so")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="path of the built nimbus-signals binary")
    parser.add_argument("--dockerfile", required=True, help="path of the Dockerfile")
    arguments = parser.parse_args()

    with open(arguments.dockerfile, encoding="utf-8") as dockerfile:
        installed_by_image = runtime_install_packages(dockerfile.read())
    packages = installed_packages()
    problems = []
    if not installed_by_image:
        problems.append("the runtime stage has no apt-get install command")
    for package in installed_by_image:
        if package not in packages:
            problems.append(f"runtime package {package} is not installed on this Debian 12 machine, "
                            "so its name or its libraries cannot be checked; is the name right?")

    direct = needed_sonames(arguments.binary)
    libraries = ldd_libraries(arguments.binary)
    base = base_image_packages(packages)
    covered = dependency_closure(installed_by_image, packages) | base
    used_packages = set()
    owners = owning_packages([path for _, path in libraries if path is not None])

    for soname, path in libraries:
        if SANITIZER_RUNTIME.match(soname):
            continue
        if path is None:
            problems.append(f"{soname}: ldd cannot find it; the binary would not start anywhere")
            continue
        package = owners.get(path)
        if package is None:
            problems.append(f"{soname} ({path}): no Debian package ships it; the runtime image lacks it")
            continue
        used_packages.add(package)
        if soname in direct:
            ok = package in installed_by_image or package in base
            rule = "linked directly, so its package must be in the runtime apt-get install list"
        else:
            ok = package in covered
            rule = "loaded indirectly, so a runtime package must depend on its package"
        origin = "dependency"
        if package in base:
            origin = "base image"
        elif package in installed_by_image:
            origin = "listed"
        print(f"{'ok' if ok else 'MISSING':7} {soname:32} {package:24} {origin}")
        if not ok:
            problems.append(f"{soname} comes from {package}: {rule}; add {package} to the runtime "
                            "stage's apt-get install in the Dockerfile")

    for package in installed_by_image:
        if package not in used_packages and package not in data_packages:
            problems.append(f"runtime package {package} ships no library the binary loads; remove it "
                            "from the runtime stage's apt-get install in the Dockerfile")

    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    print(f"runtime libraries: {len(libraries)} checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
