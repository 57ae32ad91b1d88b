package dev.jdistcc.netboot;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A 48-bit Ethernet address. Parsed from the spellings users and firmware use ({@code 52:54:00:12:34:56},
 * iPXE's {@code ${mac:hexhyp}} form {@code 52-54-00-12-34-56}, or bare hex) and printed lower case.
 */
public record MacAddress(long bits) {

    public MacAddress {
        if (bits < 0 || bits > 0xFFFF_FFFF_FFFFL) {
            throw new IllegalArgumentException("not a 48-bit value: " + bits);
        }
    }

    public static MacAddress parse(String text) throws ConfigException {
        String hex = text.strip().toLowerCase(Locale.ROOT);
        if (hex.length() == 17) {
            char sep = hex.charAt(2);
            if (sep != ':' && sep != '-') {
                throw invalid(text);
            }
            StringBuilder digits = new StringBuilder(12);
            for (int i = 0; i < 17; i++) {
                if (i % 3 == 2) {
                    if (hex.charAt(i) != sep) {
                        throw invalid(text);
                    }
                } else {
                    digits.append(hex.charAt(i));
                }
            }
            hex = digits.toString();
        }
        if (hex.length() != 12 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw invalid(text);
        }
        return new MacAddress(HexFormat.fromHexDigitsToLong(hex));
    }

    /** {@code 52:54:00:12:34:56}, the form dnsmasq and {@code ip link} print. */
    public String colon() {
        return join(':');
    }

    /** {@code 52-54-00-12-34-56}, iPXE's {@code hexhyp} form, safe in URL paths and file names. */
    public String hyphen() {
        return join('-');
    }

    @Override
    public String toString() {
        return colon();
    }

    private String join(char sep) {
        String hex = HexFormat.of().toHexDigits(bits).substring(4);
        StringBuilder out = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                out.append(sep);
            }
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }

    private static ConfigException invalid(String text) {
        return new ConfigException("'" + text + "' is not a MAC address; write it as 52:54:00:12:34:56");
    }
}
