package dev.jdistcc.hub.resident;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the resident end-to-end tests share: an installation built from the sources ({@link Rig}), one stock
 * distccd 3.4 on loopback and a hub serving a private DISTCC_DIR.
 */
record HubWithVolunteer(Rig rig, Volunteer volunteer, Path distccDir, Process hub) implements AutoCloseable {

    static HubWithVolunteer start(Path dir) throws Exception {
        Rig rig = Rig.build(dir.resolve("dist"));
        Volunteer volunteer = Volunteer.start("127.0.0.1");
        try {
            Path distccDir = Files.createDirectories(dir.resolve("distcc"));
            return new HubWithVolunteer(rig, volunteer, distccDir, rig.startHub(distccDir));
        } catch (Exception | AssertionError e) {
            volunteer.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        Rig.stop(hub);
        volunteer.close();
    }
}
