import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArtifactSource, splitSubdir } from './source.js';

test('http(s) URLs: options join the query, magic parameters are taken out', () => {
  const s = parseArtifactSource('https://example.com/dl/app.tar.gz?token=abc', { checksum: 'sha256:00', archive: 'false', foo: 'bar' });
  assert.equal(s.getter, 'http');
  assert.equal(s.url, 'https://example.com/dl/app.tar.gz?token=abc&foo=bar');
  assert.equal(s.path, '/dl/app.tar.gz');
  assert.equal(s.checksum, 'sha256:00');
  assert.equal(s.archive, false);
  const plain = parseArtifactSource('http://127.0.0.1:8080/a%20b.sh?x=1&y=2', {});
  assert.equal(plain.url, 'http://127.0.0.1:8080/a%20b.sh?x=1&y=2', 'an untouched query stays byte for byte');
  assert.equal(plain.path, '/a b.sh');
  assert.equal(parseArtifactSource('https://h/a.bin', { archive: 'zip' }).archive, 'zip');
  assert.equal(parseArtifactSource('https://h/a.bin', { filename: 'b.bin' }).filename, 'b.bin');
});

test('git sources: forced, git://, ssh://, scp-like and github.com shorthand, with ref, depth and sshkey', () => {
  const g = parseArtifactSource('git::https://example.com/repo.git', { ref: 'v1.2', depth: '1', sshkey: 'a2V5' });
  assert.deepEqual([g.getter, g.url, g.git], ['git', 'https://example.com/repo.git', { ref: 'v1.2', depth: 1, sshKey: 'a2V5' }]);
  assert.equal(parseArtifactSource('git://127.0.0.1:9418/repo', {}).getter, 'git');
  assert.equal(parseArtifactSource('ssh://git@example.com/repo.git', {}).getter, 'git');
  const scp = parseArtifactSource('git@github.com:hashicorp/nomad.git', { ref: 'main' });
  assert.deepEqual([scp.getter, scp.url, scp.git.ref], ['git', 'git@github.com:hashicorp/nomad.git', 'main']);
  const gh = parseArtifactSource('github.com/hashicorp/nomad/website/docs', {});
  assert.deepEqual([gh.getter, gh.url, gh.subdir], ['git', 'https://github.com/hashicorp/nomad.git', 'website/docs']);
  const sub = parseArtifactSource('git::https://example.com/repo.git//deploy?ref=v2', {});
  assert.deepEqual([sub.url, sub.subdir, sub.git.ref], ['https://example.com/repo.git', 'deploy', 'v2']);
  assert.throws(() => parseArtifactSource('git::https://h/r.git', { depth: 'x' }), /depth must be a whole number/);
  assert.throws(() => parseArtifactSource('git::https://h/r.git', { ref: '--upload-pack=sh' }), /must not start with "-"/);
});

test('file sources: absolute paths and file:// URLs', () => {
  assert.deepEqual(
    (({ getter, url, path }) => ({ getter, url, path }))(parseArtifactSource('/srv/artifacts/app.tgz', {})),
    { getter: 'file', url: 'file:///srv/artifacts/app.tgz', path: '/srv/artifacts/app.tgz' },
  );
  assert.equal(parseArtifactSource('file:///srv/a.sh', {}).path, '/srv/a.sh');
  assert.throws(() => parseArtifactSource('file://otherhost/a.sh', {}), /absolute paths or file:\/\/\/absolute\/path URLs/);
});

test('s3, gcs and hg sources are parsed and refused as not supported', () => {
  for (const src of ['s3::https://s3.amazonaws.com/bucket/foo', 's3://bucket/foo', 'bucket.s3.amazonaws.com/foo', 'gcs::https://www.googleapis.com/storage/v1/b/f', 'gs://bucket/f', 'www.googleapis.com/storage/v1/bucket/f', 'hg::http://example.com/repo']) {
    assert.throws(() => parseArtifactSource(src, {}), /are not supported by Roam; supported sources are/, src);
  }
});

test('bad sources get clear errors', () => {
  assert.throws(() => parseArtifactSource('', {}), /source must not be empty/);
  assert.throws(() => parseArtifactSource('relative/path.tgz', {}), /invalid source string: relative\/path\.tgz/);
  assert.throws(() => parseArtifactSource('ftp://example.com/x', {}), /download not supported for scheme 'ftp'/);
  assert.throws(() => parseArtifactSource('https://h/x', { filename: '../x' }), /filename option must be a plain file name/);
});

test('go-getter subdirectory splitting ignores the scheme separator', () => {
  assert.deepEqual(splitSubdir('https://h/a.tgz//sub/dir?x=1'), ['https://h/a.tgz?x=1', 'sub/dir']);
  assert.deepEqual(splitSubdir('https://h/a.tgz'), ['https://h/a.tgz', '']);
});
