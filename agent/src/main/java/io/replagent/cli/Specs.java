package io.replagent.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Short builders for picocli's programmatic model. The commands describe themselves with these instead of annotations:
 * picocli reads annotations by reflection at every start (annotation proxies, field scans), which cost more start-up
 * time than the whole budget; the programmatic model gives the same parser, help, completion and man page.
 */
final class Specs {

    private Specs() {}

    /** A command with its one-paragraph description and its exit codes as "CODE:meaning" (help text: % is %%). */
    static CommandSpec command(String description, String... exitCodes) {
        CommandSpec spec = CommandSpec.create();
        spec.usageMessage().description(description);
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : exitCodes) codes.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1));
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        return spec;
    }

    static OptionSpec flag(String name, String description) {
        return OptionSpec.builder(name).arity("0").type(boolean.class).description(description).build();
    }

    static OptionSpec option(String name, String label, Class<?> type, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(type).description(description).build();
    }

    static <T> OptionSpec option(String name, String label, Class<T> type, ITypeConverter<T> converter, String defaultValue,
                                 String description) {
        return OptionSpec.builder(name).paramLabel(label).type(type).converters(converter).defaultValue(defaultValue)
                .description(description).build();
    }

    /** A positional parameter; {@code arity} "1" one, "0..1" optional, "1..*" one or more. */
    static PositionalParamSpec positional(String label, String arity, Class<?> type, String description) {
        PositionalParamSpec.Builder b = PositionalParamSpec.builder().paramLabel(label).arity(arity).description(description)
                .required(!arity.startsWith("0"));
        if (arity.endsWith("*")) b.type(java.util.List.class).auxiliaryTypes(type);
        else b.type(type);
        return b.build();
    }
}
