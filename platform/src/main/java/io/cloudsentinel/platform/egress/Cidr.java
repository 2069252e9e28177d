package io.cloudsentinel.platform.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of one. */
record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] network = literal(address);
        if (network == null) {
            throw new IllegalArgumentException("not an address block: " + text);
        }
        int prefix;
        try {
            prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address block: " + text);
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix out of range: " + text);
        }
        return new Cidr(network, prefix);
    }

    /** Whether the text is an IP literal or a block, rather than a host name. */
    static boolean looksLikeBlock(String text) {
        int slash = text.indexOf('/');
        return literal(slash < 0 ? text : text.substring(0, slash)) != null;
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[whole] & mask) == (network[whole] & mask);
    }

    /** The bytes of an IPv4 dotted quad or an IPv6 literal, never looked up in DNS; null for anything else. */
    static byte[] literal(String text) {
        if (text.indexOf(':') >= 0) {
            try {
                // a string with a colon is parsed as an IPv6 literal, never looked up
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException | SecurityException e) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }
}
