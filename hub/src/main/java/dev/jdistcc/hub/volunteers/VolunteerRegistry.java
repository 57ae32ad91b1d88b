package dev.jdistcc.hub.volunteers;

import java.time.Duration;
import java.util.List;

/** The live volunteer list behind the registration handlers and host-file writers. Thread-safe. */
public interface VolunteerRegistry {
    /** Registers or refreshes a volunteer (a heartbeat is the same call); true when it is new. */
    boolean heartbeat(Volunteer v);

    /** Removes a volunteer that is leaving; false when it was not registered. */
    boolean remove(String id);

    /** Volunteers heard from within the expiry, ordered by id. */
    List<Volunteer> live();

    /** Drops volunteers silent for longer than the expiry; returns the dropped ones. */
    List<Volunteer> expire();

    /** Volunteers should beat at this interval. */
    Duration heartbeatInterval();

    /** A volunteer silent this long is dropped (three missed beats). */
    Duration expiry();

    /** Called with the new live list after every change (join, leave, drop, changed fields). */
    void onChange(Runnable listener);
}
