package dev.failurelab.chain.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One DNS query on the wire: an A query to one server, over UDP (TCP when the answer is truncated),
 * with dnsjava's {@link SimpleResolver}. No cache, no retry: {@link LabResolver} decides those.
 */
public interface DnsWire {

    /**
     * Asks {@code server} for {@code name}'s A records.
     *
     * @throws IOException when no answer came within {@code timeout} or the exchange failed
     */
    Answer query(String name, InetSocketAddress server, Duration timeout) throws IOException;

    /**
     * A server's answer.
     *
     * @param rcode      the response code ({@link Rcode#NOERROR}, {@link Rcode#NXDOMAIN}, ...)
     * @param addresses  the A records' addresses (empty unless NOERROR with data)
     * @param ttlSeconds the smallest TTL of those records
     */
    record Answer(int rcode, List<InetAddress> addresses, long ttlSeconds) {
    }

    /** The real thing: dnsjava over UDP and TCP. */
    static DnsWire dnsjava() {
        return (name, server, timeout) -> {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(timeout);
            Name query;
            try {
                query = Name.fromString(name.endsWith(".") ? name : name + ".");
            } catch (TextParseException e) {
                return new Answer(Rcode.NXDOMAIN, List.of(), 0); // not a name: nothing has it
            }
            Message response = resolver.send(Message.newQuery(Record.newRecord(query, Type.A, DClass.IN)));
            List<ARecord> records = response.getSection(Section.ANSWER).stream()
                    .filter(ARecord.class::isInstance).map(ARecord.class::cast).toList();
            long ttl = records.stream().mapToLong(Record::getTTL).min().orElse(0);
            return new Answer(response.getRcode(), records.stream().map(ARecord::getAddress).toList(), ttl);
        };
    }
}
