package io.earshot.config.checks.internal;

import org.osgi.service.metatype.AttributeDefinition;

/** Whether a value as written in a configuration file (text) suits an attribute's type. */
final class ValueCheck {

    private ValueCheck() {
    }

    /** Why {@code value} is not a value of {@code type}, or null when it is (or the type takes any text). */
    static String problem(int type, String value) {
        return switch (type) {
            case AttributeDefinition.LONG -> whole(value, Long.MIN_VALUE, Long.MAX_VALUE);
            case AttributeDefinition.INTEGER -> whole(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case AttributeDefinition.SHORT -> whole(value, Short.MIN_VALUE, Short.MAX_VALUE);
            case AttributeDefinition.BYTE -> whole(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> number(value);
            case AttributeDefinition.BOOLEAN -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                    ? null : "is not true or false";
            case AttributeDefinition.CHARACTER -> value.length() == 1 ? null : "is not a single character";
            default -> null;
        };
    }

    private static String whole(String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value);
            return parsed < min || parsed > max ? "is out of range (" + min + ".." + max + ")" : null;
        } catch (NumberFormatException e) {
            return "is not a whole number";
        }
    }

    private static String number(String value) {
        try {
            double parsed = Double.parseDouble(value);
            return Double.isFinite(parsed) ? null : "is not a finite number";
        } catch (NumberFormatException e) {
            return "is not a number";
        }
    }
}
