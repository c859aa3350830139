package dev.failurelab.fault.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * What the DNS server does with one query, decided once when it arrives.
 *
 * @param delayMs   wait this long first (slow faults, summed)
 * @param action    then: answer, SERVFAIL, NXDOMAIN, or nothing
 * @param address   the address to answer instead of the record's (null: the record's)
 * @param zeroTtl   answer with TTL 0
 * @param triggered the faults that fired
 */
public record DnsAnswerPlan(long delayMs, Action action, InetAddress address, boolean zeroTtl,
        List<DnsFault> triggered) {

    /** What happens after the delay. */
    public enum Action {
        ANSWER, SERVFAIL, NXDOMAIN, DROP
    }

    public static final DnsAnswerPlan NORMAL = new DnsAnswerPlan(0, Action.ANSWER, null, false, List.of());

    /**
     * The plan for the faults that match a query: their delays add up; the harshest action wins
     * (drop, then SERVFAIL, then NXDOMAIN); a wrong address and TTL 0 change the answer.
     */
    public static DnsAnswerPlan of(List<DnsFault> matching) {
        if (matching.isEmpty()) {
            return NORMAL;
        }
        long delay = 0;
        Action action = Action.ANSWER;
        InetAddress address = null;
        boolean zeroTtl = false;
        for (DnsFault fault : matching) {
            switch (fault.type()) {
                case SLOW -> delay += fault.delayMs();
                case DROP -> action = Action.DROP;
                case SERVFAIL -> action = action == Action.DROP ? action : Action.SERVFAIL;
                case NXDOMAIN -> action = action == Action.ANSWER ? Action.NXDOMAIN : action;
                case WRONG_ADDRESS -> address = fault.address();
                case TTL0 -> zeroTtl = true;
            }
        }
        return new DnsAnswerPlan(delay, action, address, zeroTtl, List.copyOf(matching));
    }
}
