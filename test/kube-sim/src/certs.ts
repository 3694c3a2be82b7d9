import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface SimTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

let cached: SimTls | undefined;

/**
 * A throwaway CA and a serving certificate for localhost / 127.0.0.1 / ::1.
 * Keys come from Node's native generator (fast); node-forge only builds and signs
 * the X.509 certificates, so this works on any OS without the openssl CLI.
 * Cached per process: tests start many simulators.
 */
export function generateTls(options: { fresh?: boolean } = {}): SimTls {
  if (cached && !options.fresh) return cached;
  const pki = forge.pki;
  const newKey = () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const priv = pki.privateKeyFromPem(privateKey);
    const pub = pki.setRsaPublicKey(priv.n, priv.e);
    return { priv, pub, pem: privateKey };
  };
  const serial = () => `01${randomBytes(8).toString('hex')}`;
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);

  const caKey = newKey();
  const ca = pki.createCertificate();
  ca.publicKey = caKey.pub;
  ca.serialNumber = serial();
  ca.validity.notBefore = notBefore;
  ca.validity.notAfter = notAfter;
  const caSubject = [{ name: 'commonName', value: 'kube-sim-ca' }];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    {
      name: 'keyUsage',
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: true,
      critical: true,
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKey.priv, forge.md.sha256.create());

  const leafKey = newKey();
  const leaf = pki.createCertificate();
  leaf.publicKey = leafKey.pub;
  leaf.serialNumber = serial();
  leaf.validity.notBefore = notBefore;
  leaf.validity.notAfter = notAfter;
  leaf.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  leaf.setIssuer(caSubject);
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false },
    {
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: true,
      critical: true,
    },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 2, value: 'kubernetes.default.svc' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  leaf.sign(caKey.priv, forge.md.sha256.create());

  cached = {
    caPem: pki.certificateToPem(ca),
    certPem: pki.certificateToPem(leaf),
    keyPem: leafKey.pem,
  };
  return cached;
}
