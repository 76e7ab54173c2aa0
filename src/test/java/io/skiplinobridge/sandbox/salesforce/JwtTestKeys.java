package io.skiplinobridge.sandbox.salesforce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * RSA key pairs for the JWT bearer grant, made once per JVM with the JDK's {@code keytool}: a PKCS12
 * keystore for camel-salesforce and the PEM certificate the sandbox checks signatures against.
 */
final class JwtTestKeys {

    static final String PASSWORD = "changeit";
    static final String ALIAS = "bridge";

    record KeyPairFiles(Path keystore, Path certificate) {
    }

    private static KeyPairFiles trusted;
    private static KeyPairFiles untrusted;

    private JwtTestKeys() {
    }

    /** The key pair whose certificate the test sandbox is configured with. */
    static synchronized KeyPairFiles trusted() {
        if (trusted == null) {
            trusted = generate("trusted");
        }
        return trusted;
    }

    /** A key pair the sandbox does not know. */
    static synchronized KeyPairFiles untrusted() {
        if (untrusted == null) {
            untrusted = generate("untrusted");
        }
        return untrusted;
    }

    private static KeyPairFiles generate(String name) {
        try {
            Path dir = Files.createTempDirectory("sf-jwt-" + name);
            dir.toFile().deleteOnExit();
            Path keystore = dir.resolve(name + ".p12");
            Path certificate = dir.resolve(name + ".pem");
            keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=" + name, "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                    "-file", certificate.toString());
            keystore.toFile().deleteOnExit();
            certificate.toFile().deleteOnExit();
            return new KeyPairFiles(keystore, certificate);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a test key pair", e);
        }
    }

    private static void keytool(String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(process.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
