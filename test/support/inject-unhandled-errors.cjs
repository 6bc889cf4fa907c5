// Loaded with --require (NODE_OPTIONS) into a DB Desk process under test. In the process whose
// entry file is named by DBDESK_TEST_FAULTS_IN (main thread only), it raises faults nobody handles:
// on SIGUSR2, or once DBDESK_TEST_FAULTS_AFTER_MS have passed. Each carries a password, which the
// log must not show. Prints "faults injected" on stderr when done.
const { basename } = require('node:path');
const { isMainThread } = require('node:worker_threads');

if (isMainThread && process.env.DBDESK_TEST_FAULTS_IN && basename(process.argv[1] || '') === process.env.DBDESK_TEST_FAULTS_IN) {
  const inject = () => {
    Promise.reject(new Error('injected rejection from postgres://app:hunter2@db.example/shop'));
    Promise.reject({ password: 'hunter2', toString: 1 });
    setTimeout(() => {
      throw new Error('injected exception, password=hunter2');
    }, 0);
    setTimeout(() => process.stderr.write('faults injected\n'), 100);
  };
  process.on('SIGUSR2', inject);
  const after = Number(process.env.DBDESK_TEST_FAULTS_AFTER_MS);
  if (after > 0) setTimeout(inject, after).unref();
}
