import { launchScriptRequest } from '@gatehouse/protocol';
import { advertiseHost } from '../certificates/cluster-ca';
import { issueDpCertificate } from '../certificates/issue';
import type { AppModule } from '../http/module';
import { objectBody, validate } from '../http/validate';
import { findRuntimeGroup } from '../runtime-groups/lookup';
import { renderDockerScript } from './docker-script';
import { renderShellScript } from './shell-script';

/**
 * `POST /v1/runtime-groups/{rg}/launch-script {"kind":"shell"|"docker"}`:
 * answers 200 `text/x-shellscript` holding a certificate issued for this
 * request only (listed under the group's dp-certificates, revocable there).
 * GATEHOUSE_CLUSTER_ADVERTISE is the CP address written in. A missing or
 * unknown `kind` is a 400 naming `kind`, and no certificate is issued.
 */
export const launchScriptModule: AppModule = {
  name: 'launch-script',
  api(router, { db, log, settings, secretKey }) {
    router.post('/runtime-groups/:rg/launch-script', async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const { kind } = validate(launchScriptRequest, objectBody(req.body));
      const certificate = await issueDpCertificate(db, group.id, secretKey, { validityDays: settings.GATEHOUSE_LAUNCH_SCRIPT_CERT_DAYS });
      const input = {
        runtimeGroup: { id: group.id, name: group.name },
        certificate,
        controlPlane: settings.GATEHOUSE_CLUSTER_ADVERTISE,
        serverName: advertiseHost(settings.GATEHOUSE_CLUSTER_ADVERTISE),
        generatedAt: new Date(),
      };
      const script = kind === 'shell' ? renderShellScript(input) : renderDockerScript(input);
      log.info({
        event: 'launch_script_issued',
        runtime_group_id: group.id,
        kind,
        certificate_id: certificate.id,
        cert_not_after: certificate.not_after.toISOString(),
      });
      // The script holds a private key: no cache may keep it.
      res.status(200).set('Cache-Control', 'no-store').type('text/x-shellscript; charset=utf-8').send(script);
    });
  },
};
