# The agent's build. `make test` is what CI runs; `make demo` shows live replication on loopback.
SHELL := /bin/bash
MVN ?= mvn -B -ntp -q
PREFIX ?= /usr/local
JAR := agent/target/agent.jar
JSA := agent/target/agent.jsa

.PHONY: build test test-unit test-ansible demo install bench cds clean reliability fanotify-skips

build: $(JAR)

$(JAR): pom.xml agent/pom.xml schema/state.schema.json $(shell find agent/src/main -type f)
	$(MVN) clean package -DskipTests
	@$(MAKE) --no-print-directory cds

# AppCDS: record the classes a plan run loads (loading, validation, every resource's read), so later starts map them
# instead of parsing them. The plan runs against an empty scratch root: it reads, changes nothing.
cds:
	@rm -f $(JSA)
	@scratch=$$(mktemp -d) && AGENT_DEMO_PASSWORD=cds-training java -XX:ArchiveClassesAtExit=$(JSA) -Xlog:cds=off \
	  -Xlog:cds+dynamic=off -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar $(JAR) plan examples/demo.yaml --root $$scratch \
	  >/dev/null 2>&1; rm -rf $$scratch
	@test -f $(JSA) && echo "cds: $(JSA) ($$(du -k $(JSA) | cut -f1) KiB)" || echo "cds: no archive (start-up without it)"

test:
	$(MVN) clean package
	@$(MAKE) --no-print-directory cds
	agent/bin/agent validate examples/*.yaml
	@$(MAKE) --no-print-directory test-ansible
	@$(MAKE) --no-print-directory reliability
	@cat agent/target/surefire-reports/*.txt | awk -F'[ ,]+' '/^Tests run:/ { t += $$3; f += $$5 + $$7; s += $$9 } \
	  END { printf "junit: %d passed, %d failed, %d skipped\n", t - f - s, f, s }'
	@$(MAKE) --no-print-directory fanotify-skips

# Where fanotify cannot work (no CAP_SYS_ADMIN, an old kernel), its test runs are skipped: say so, in one line.
fanotify-skips:
	@grep -ho 'fanotify is not available on this machine[^"]*' agent/target/surefire-reports/TEST-*.xml 2>/dev/null \
	  | sort | uniq -c | sed -E 's/^ *([0-9]+) (.*)/\2 (\1 tests)/' || true

# The fast suite: pure logic and in-process tests, no root, no daemon, no sleeps (a class that needs any of those is
# tagged @Tag("e2e") and runs in `make test` only).
test-unit:
	$(MVN) test -DexcludedGroups=e2e
	@cat agent/target/surefire-reports/*.txt | awk -F'[ ,]+' '/^Tests run:/ { t += $$3; f += $$5 + $$7; s += $$9 } \
	  END { printf "junit (unit): %d passed, %d failed, %d skipped\n", t - f - s, f, s }'

# The Ansible role with a real ansible-playbook against this machine (root; apt-get install ansible-core ansible-lint).
test-ansible: build
	test-infra/ansible/run.sh

demo: build
	examples/demo.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/agent
	install -m 0644 $(JAR) $(DESTDIR)$(PREFIX)/lib/agent/agent.jar
	@if [ -f $(JSA) ]; then install -m 0644 $(JSA) $(DESTDIR)$(PREFIX)/lib/agent/agent.jsa; fi
	install -m 0755 agent/bin/agent $(DESTDIR)$(PREFIX)/bin/agent

bench: build
	test-infra/bench/run.sh

# The two-host fault and security suite (root; network namespaces). SOAK_SECONDS=600 for the full soak.
reliability: build
	SOAK_SECONDS=$${SOAK_SECONDS:-60} python3 test-infra/faults/faults.py

clean:
	$(MVN) clean
