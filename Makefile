# The agent's build. `make test` is what CI runs; `make demo` shows live replication on loopback.
SHELL := /bin/bash
MVN ?= mvn -B -ntp -q
PREFIX ?= /usr/local
JAR := agent/target/agent.jar
JSA := agent/target/agent.jsa
MAN := agent/target/agent.1
FAULTS_LOG := agent/target/faults.log

.PHONY: build test test-unit test-faults-unit test-ansible test-deb test-fleet demo install bench cds deb man readme clean reliability fanotify-skips

build: $(JAR)

$(JAR): pom.xml agent/pom.xml schema/state.schema.json $(shell find agent/src/main -type f)
	$(MVN) clean package -DskipTests
	@$(MAKE) --no-print-directory cds

# AppCDS: record the classes a plan run loads (loading, validation, every resource's read), so later starts map them
# instead of parsing them; the launcher uses the archive only while its identity file matches the JVM and jar. A static
# archive (-Xshare:dump from the run's class list), not a dynamic one: picocli's classes are Java 5 bytecode, which
# only a static archive holds (packaging/cds-build and the launcher's AGENT_CDS=dump).
cds:
	@rm -f $(JSA) $(JSA).id
	@packaging/cds-build agent/bin/agent $(JSA) examples/demo.yaml

# The Debian package, agent/target/agent_<version>_all.deb (DEB_VERSION overrides the pom's version).
deb: build man
	packaging/build-deb agent/target $(DEB_VERSION)

# The man page, agent(1), generated from the same command definitions as --help.
man: $(MAN)

$(MAN): $(JAR)
	java -cp $(JAR) io.replagent.cli.Reference man > $@.tmp && mv $@.tmp $@

# The README's CLI section (commands and exit codes), rewritten from --help; ReferenceTest fails when it drifts.
readme: $(JAR)
	java -cp $(JAR) io.replagent.cli.Reference readme README.md

test:
	@$(MAKE) --no-print-directory test-faults-unit
	$(MVN) clean package
	@$(MAKE) --no-print-directory cds man
	agent/bin/agent validate examples/*.yaml
	@$(MAKE) --no-print-directory test-ansible
	@$(MAKE) --no-print-directory test-deb
	@$(MAKE) --no-print-directory test-fleet
	@$(MAKE) --no-print-directory reliability
	@cat agent/target/surefire-reports/*.txt | awk -F'[ ,]+' '/^Tests run:/ { t += $$3; f += $$5 + $$7; s += $$9 } \
	  END { printf "junit: %d passed, %d failed, %d skipped\n", t - f - s, f, s }'
	@$(MAKE) --no-print-directory fanotify-skips

# Where fanotify cannot work (no CAP_SYS_ADMIN, an old kernel), its test runs are skipped: say so, in one line (one
# for the JUnit tests, one for the fault suite).
fanotify-skips:
	@grep -ho 'fanotify is not available on this machine[^"]*' agent/target/surefire-reports/TEST-*.xml 2>/dev/null \
	  | sort | uniq -c | sed -E 's/^ *([0-9]+) (.*)/\2 (\1 tests)/' || true
	@grep -ho 'fanotify is not available on this machine.*' $(FAULTS_LOG) 2>/dev/null || true

# The fast suite: pure logic and in-process tests, no root, no daemon, no sleeps (a class that needs any of those is
# tagged @Tag("e2e") and runs in `make test` only).
test-unit: test-faults-unit
	$(MVN) test -DexcludedGroups=e2e
	@cat agent/target/surefire-reports/*.txt | awk -F'[ ,]+' '/^Tests run:/ { t += $$3; f += $$5 + $$7; s += $$9 } \
	  END { printf "junit (unit): %d passed, %d failed, %d skipped\n", t - f - s, f, s }'

# The fault suite's own helpers (trees, states, status, table, selection): pure, on temp dirs, no root, under a second.
test-faults-unit:
	cd test-infra && python3 -m unittest discover -q -s faults/tests -t .

# The Ansible role with a real ansible-playbook against this machine (root; apt-get install ansible-core ansible-lint).
test-ansible: build
	test-infra/ansible/run.sh

# The Debian package on this machine: lintian, install, upgrade (state and queue kept), remove, purge (root).
test-deb: build
	packaging/test-deb

# Three hosts (systemd in private roots, network namespaces), one ansible-playbook over SSH (root).
test-fleet: build
	python3 test-infra/fleet/fleet.py

demo: build
	examples/demo.sh

# The AppCDS archive is made for the installed jar's path (without DESTDIR; a package makes its own: packaging/).
install: build man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/agent $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0644 $(JAR) $(DESTDIR)$(PREFIX)/lib/agent/agent.jar
	install -m 0755 agent/bin/agent $(DESTDIR)$(PREFIX)/bin/agent
	@if [ -z "$(DESTDIR)" ]; then packaging/cds-build $(PREFIX)/bin/agent $(PREFIX)/lib/agent/agent.jsa examples/demo.yaml; fi
	install -m 0644 $(MAN) $(DESTDIR)$(PREFIX)/share/man/man1/agent.1
	agent/bin/agent completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/agent

# The benchmark (test-infra/bench/README.md): agent on both backends, lsyncd, naive, floor; then its chart and table.
# BIGTREE=1 adds the million-file runs, SCALE10=1 startup20k at 200,000 directories; BENCH_ARGS go to replbench.
bench: build
	BIGTREE=$(BIGTREE) SCALE10=$(SCALE10) test-infra/bench/run.sh $(BENCH_ARGS)

# The two-host fault and security suite (root; network namespaces). SOAK_SECONDS=600 for the full soak;
# FAULTS=daemon,link runs those only. Once per watch backend, the agent's default (auto: fanotify where it works)
# first, where the backend-independent faults run; BACKENDS=inotify for one, BACKENDS= for the agent's default only.
# Its output is kept in $(FAULTS_LOG).
reliability: build
	set -o pipefail; cd test-infra && SOAK_SECONDS=$${SOAK_SECONDS:-60} BACKENDS=$${BACKENDS-fanotify,inotify} \
	  python3 -m faults 2>&1 | tee ../$(FAULTS_LOG)

clean:
	$(MVN) clean
