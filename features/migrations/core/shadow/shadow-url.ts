import type { EngineConfig } from '../../../../electron/core/engines/config';
import { CoreError } from '../../../../electron/core/errors';
import { ConnectionFields } from '../../../../shared/model/connection';
import { ConnectionUrlError, parseConnectionUrl } from '../../../../shared/model/connection-url';
import { engineFamily, engineLabels } from '../../../../shared/model/engine';

/**
 * A shadow URL as a profile: the database it names, of the live database's engine family, reached the way
 * the live one is (its SSH tunnel settings). Wrong URLs are `invalid-input`, found before anything connects.
 */
export function shadowConfigFromUrl(url: string, live: EngineConfig): EngineConfig {
  let parsed;
  try {
    parsed = parseConnectionUrl(url);
  } catch (err) {
    if (err instanceof ConnectionUrlError) throw new CoreError('invalid-input', `Shadow URL: ${err.message}`);
    throw err;
  }
  const fields = ConnectionFields.safeParse(parsed.fields);
  if (!fields.success) throw new CoreError('invalid-input', `Shadow URL: ${fields.error.issues.map((i) => `${i.path.join('.') || 'url'}: ${i.message}`).join('; ')}`);
  if (engineFamily(fields.data.engine) !== engineFamily(live.engine)) {
    throw new CoreError('invalid-input', `The shadow database must be ${engineLabels[live.engine]} like the live one, not ${engineLabels[fields.data.engine]}.`);
  }
  return {
    ...fields.data,
    ...(live.ssh ? { ssh: live.ssh } : {}),
    ...(live.sshPassword !== undefined ? { sshPassword: live.sshPassword } : {}),
    ...(live.sshPassphrase !== undefined ? { sshPassphrase: live.sshPassphrase } : {}),
    readOnly: false,
    production: false,
    poolSize: 2,
    ...(parsed.password !== undefined ? { password: parsed.password } : {}),
  };
}
