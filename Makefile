# The agent's build. `make test` is what CI runs; `make demo` shows live replication on loopback.
SHELL := /bin/bash
MVN ?= mvn -B -ntp -q
PREFIX ?= /usr/local
JAR := agent/target/agent.jar
JSA := agent/target/agent.jsa
CLASSLIST := agent/target/agent.classlist
MAN := agent/target/agent.1

.PHONY: build test test-unit test-ansible demo install bench cds cds-dump man readme clean reliability

build: $(JAR)

$(JAR): pom.xml agent/pom.xml schema/state.schema.json $(shell find agent/src/main -type f)
	$(MVN) clean package -DskipTests
	@$(MAKE) --no-print-directory cds

# AppCDS: record the classes a plan run loads (loading, validation, every resource's read), so later starts map them
# instead of parsing them. The plan runs against an empty scratch root: it reads, changes nothing. A static archive
# (-Xshare:dump), not a dynamic one: picocli's classes are Java 5 bytecode, which only a static archive holds. It is
# valid for the jar at this absolute path only, so agent.jsa.jar names that path and the launcher checks it.
cds:
	@rm -f $(JSA) $(JSA).jar
	@scratch=$$(mktemp -d) && AGENT_DEMO_PASSWORD=cds-training java -XX:DumpLoadedClassList=$(CLASSLIST) \
	  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar $(JAR) plan examples/demo.yaml --root $$scratch >/dev/null 2>&1; \
	  rm -rf $$scratch
	@$(MAKE) --no-print-directory cds-dump JAR_AT=$(abspath $(JAR)) JSA_AT=$(JSA)
	@test -f $(JSA) && echo "cds: $(JSA) ($$(du -k $(JSA) | cut -f1) KiB)" || echo "cds: no archive (start-up without it)"

# The archive for the jar at JAR_AT, written to JSA_AT (make install makes one for the installed jar).
cds-dump:
	@java -Xshare:dump -XX:SharedClassListFile=$(CLASSLIST) -XX:SharedArchiveFile=$(JSA_AT) -XX:+UseSerialGC \
	  -Xlog:cds=off -cp $(JAR_AT) >/dev/null 2>&1 && echo "$(JAR_AT)" > $(JSA_AT).jar || rm -f $(JSA_AT) $(JSA_AT).jar

# The man page, agent(1), generated from the same command definitions as --help.
man: $(MAN)

$(MAN): $(JAR)
	java -cp $(JAR) io.replagent.cli.Reference man > $@.tmp && mv $@.tmp $@

# The README's CLI section (commands and exit codes), rewritten from --help; ReferenceTest fails when it drifts.
readme: $(JAR)
	java -cp $(JAR) io.replagent.cli.Reference readme README.md

test:
	$(MVN) clean package
	@$(MAKE) --no-print-directory cds man
	agent/bin/agent validate examples/*.yaml
	@$(MAKE) --no-print-directory test-ansible
	@$(MAKE) --no-print-directory reliability
	@cat agent/target/surefire-reports/*.txt | awk -F'[ ,]+' '/^Tests run:/ { t += $$3; f += $$5 + $$7; s += $$9 } \
	  END { printf "junit: %d passed, %d failed, %d skipped\n", t - f - s, f, s }'

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

# The AppCDS archive is made for the installed jar's path (without DESTDIR; a package makes it after installing,
# from lib/agent/agent.classlist: see the cds-dump target).
install: build man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/agent $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0644 $(JAR) $(DESTDIR)$(PREFIX)/lib/agent/agent.jar
	@if [ -f $(CLASSLIST) ]; then install -m 0644 $(CLASSLIST) $(DESTDIR)$(PREFIX)/lib/agent/agent.classlist; fi
	@if [ -z "$(DESTDIR)" ] && [ -f $(CLASSLIST) ]; then $(MAKE) --no-print-directory cds-dump \
	  JAR_AT=$(abspath $(PREFIX))/lib/agent/agent.jar JSA_AT=$(PREFIX)/lib/agent/agent.jsa; fi
	install -m 0755 agent/bin/agent $(DESTDIR)$(PREFIX)/bin/agent
	install -m 0644 $(MAN) $(DESTDIR)$(PREFIX)/share/man/man1/agent.1
	agent/bin/agent completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/agent

bench: build
	test-infra/bench/run.sh

# The two-host fault and security suite (root; network namespaces). SOAK_SECONDS=600 for the full soak.
reliability: build
	SOAK_SECONDS=$${SOAK_SECONDS:-60} python3 test-infra/faults/faults.py

clean:
	$(MVN) clean
