import { selectByTags, stateToFile, stringifyDocument } from '@gatehouse/protocol';
import { authOf } from '../auth/context';
import type { AppModule } from '../http/module';
import { findRuntimeGroup } from '../runtime-groups/lookup';
import { controlPlaneCatalog } from './plugin-catalog';
import { readGroupState } from './read-group';
import { flag, readSyncRequest, selectTags } from './request';
import { syncGroup } from './sync';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/**
 * Declarative config of a runtime group (Kong DB-less / decK files):
 * `GET /runtime-groups/{rg}/config` dumps it, as YAML when the client
 * accepts YAML before JSON, else JSON (`select_tags`, `with_id`);
 * `POST /runtime-groups/{rg}/config` with a file (JSON or YAML) answers the
 * diff with `dry_run=true`, and otherwise applies it all or nothing
 * (`select_tags`, `skip_unknown_plugins`).
 */
export const declarativeModule: AppModule = {
  name: 'declarative',
  api(router, { db, log }) {
    router.get('/runtime-groups/:rg/config', async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const tags = selectTags(req.query);
      const withIds = flag(req.query, 'with_id');
      const state = await db.$transaction((tx) => readGroupState(tx, group.id), { isolationLevel: 'RepeatableRead' });
      const doc = stateToFile(selectByTags(state, tags), { withIds });
      const file = tags.length > 0 ? { _format_version: doc._format_version, _info: { select_tags: tags }, ...doc } : doc;
      const type = req.accepts(['application/json', ...YAML_TYPES]);
      if (typeof type === 'string' && YAML_TYPES.includes(type)) {
        res.type('application/yaml').send(stringifyDocument(file, 'yaml'));
      } else {
        res.json(file);
      }
    });
    router.post('/runtime-groups/:rg/config', async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const request = readSyncRequest(req, controlPlaneCatalog());
      const answer = await syncGroup(db, log, { runtimeGroupId: group.id, organizationId: authOf(req).organizationId }, request);
      res.status(200).json(answer);
    });
  },
};
