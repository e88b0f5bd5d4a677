import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveSockaddr, type HostNetwork } from './sockaddr.js';

const net: HostNetwork = {
  addrs: [
    { name: 'lo', address: '127.0.0.1', family: 'IPv4', internal: true },
    { name: 'eth0', address: '192.0.2.2', family: 'IPv4', internal: false },
    { name: 'eth0', address: 'fd00::2', family: 'IPv6', internal: false },
    { name: 'docker0', address: '172.17.0.1', family: 'IPv4', internal: false },
  ],
  defaultInterfaces: ['eth0'],
};

test('go-sockaddr templates in agent addresses resolve as Nomad resolves them', () => {
  assert.equal(resolveSockaddr('{{ GetDefaultInterfaces | attr "name" }}', 'network_interface', net), 'eth0');
  assert.equal(resolveSockaddr('{{ GetDefaultInterfaces | attr "address" }}', 'bind_addr', net), '192.0.2.2');
  assert.equal(resolveSockaddr('{{ GetPrivateIP }}', 'bind_addr', net), '172.17.0.1');
  assert.equal(resolveSockaddr('{{ GetPublicIP }}', 'bind_addr', net), '192.0.2.2');
  assert.equal(resolveSockaddr('{{ GetInterfaceIP "docker0" }}', 'bind_addr', net), '172.17.0.1');
  assert.equal(resolveSockaddr('{{ GetAllInterfaces | include "name" "^e" | exclude "type" "IPv6" | join "address" " " }}', 'x', net), '192.0.2.2');
  assert.equal(resolveSockaddr('eth1', 'network_interface', net), 'eth1', 'plain values pass through');
});

test('a template that fails or resolves to nothing is an error naming the setting', () => {
  assert.throws(() => resolveSockaddr('{{ GetInterfaceIP "wlan9" }}', 'bind_addr', net), /^Error: bind_addr: cannot resolve the address template .*no interface "wlan9" address found/);
  assert.throws(() => resolveSockaddr('{{ GetDefaultInterfaces | attr "name" }}', 'network_interface', { ...net, defaultInterfaces: [] }), /network_interface: .*empty/);
  assert.throws(() => resolveSockaddr('{{ GetDefaultInterfaces | attr "mtu" }}', 'network_interface', net), /unsupported attribute "mtu"/);
});
