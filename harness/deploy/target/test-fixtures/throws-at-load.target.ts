/** A target file whose top level throws while it is loaded: a variable its author's machine has and this one does not. */
function serverBinary(): string {
  const binary = process.env.OAUTH_REPRO_FIXTURE_NEVER_SET;
  if (!binary) throw new Error('OAUTH_REPRO_FIXTURE_NEVER_SET is not set: where is the server binary?');
  return binary;
}

export default { name: 'throws at load', tool: { command: serverBinary() } };
