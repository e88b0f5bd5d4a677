import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('CIDR functions follow the go-cty-funcs examples', () => {
  const cases: Case[] = [
    ['cidrhost', ['10.12.112.0/20', 16], '10.12.112.16'],
    ['cidrhost', ['10.12.112.0/20', 268], '10.12.113.12'],
    ['cidrhost', ['10.12.112.0/20', -1], '10.12.127.255'],
    ['cidrhost', ['fd00:fd12:3456:7890:00a2::/72', 34], 'fd00:fd12:3456:7890::22'],
    ['cidrhost', ['10.12.112.7/20', 0], '10.12.112.0'],
    ['cidrnetmask', ['172.16.0.0/12'], '255.240.0.0'],
    ['cidrnetmask', ['10.0.0.0/32'], '255.255.255.255'],
    ['cidrnetmask', ['fd00::/32'], 'ffff:ffff::'],
    ['cidrsubnet', ['172.16.0.0/12', 4, 2], '172.18.0.0/16'],
    ['cidrsubnet', ['10.1.2.0/24', 4, 15], '10.1.2.240/28'],
    ['cidrsubnet', ['fd00:fd12:3456:7890::/56', 16, 162], 'fd00:fd12:3456:7800:a200::/72'],
    ['cidrsubnet', ['::ffff:10.0.0.0/104', 8, 1], '10.1.0.0/112'],
    ['cidrsubnets', ['10.1.0.0/16', 4, 4, 8, 4], ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']],
    ['cidrsubnets', ['fd00:fd12:3456:7890::/56', 16, 16, 16, 32], ['fd00:fd12:3456:7800::/72', 'fd00:fd12:3456:7800:100::/72', 'fd00:fd12:3456:7800:200::/72', 'fd00:fd12:3456:7800:300::/88']],
    ['cidrsubnets', ['10.0.0.0/8'], []],
  ];
  checkCases(cases);
});

test('CIDR functions reject bad prefixes and numbers', () => {
  const errors: ErrorCase[] = [
    ['cidrsubnet', ['10.0.0/8', 1, 1], 0, 'Invalid value for "prefix" parameter: "10.0.0/8" is not a valid CIDR prefix'],
    ['cidrhost', ['10.0.0.0/33', 1], 0, 'is not a valid CIDR prefix'],
    ['cidrhost', ['010.0.0.0/8', 1], 0, 'is not a valid CIDR prefix'],
    ['cidrhost', ['10.0.0.0', 1], 0, 'is not a valid CIDR prefix'],
    ['cidrhost', ['10.12.112.0/20', 4096], 1, 'prefix of 20 does not accommodate a host numbered 4096'],
    ['cidrhost', ['10.12.112.0/20', -4097], 1, 'does not accommodate a host numbered -4097'],
    ['cidrsubnet', ['10.0.0.0/30', 4, 0], 1, 'insufficient address space to extend prefix of 30 by 4'],
    ['cidrsubnet', ['10.0.0.0/8', 2, 4], 2, 'prefix extension of 2 does not accommodate a subnet numbered 4'],
    ['cidrsubnet', ['fd00::/8', 33, 0], 1, 'may not extend prefix by more than 32 bits'],
    ['cidrsubnets', ['10.0.0.0/8', 0], 1, 'must extend prefix by at least one bit'],
    ['cidrsubnets', ['10.0.0.0/30', 1, 1, 1], 3, 'not enough remaining address space for a subnet with a prefix of 31 bits after 10.0.0.2/31'],
    ['cidrsubnets', ['10.0.0.0/30', 3], 1, 'would extend prefix to 33 bits, which is too long for an IPv4 address'],
  ];
  checkErrors(errors);
});

test('subnets from cidrsubnet contain their hosts and lie inside the parent', () => {
  fc.assert(
    fc.property(fc.integer({ min: 8, max: 24 }), fc.integer({ min: 1, max: 6 }), fc.nat(), fc.nat(), (prefix, newbits, a, b) => {
      const parent = `10.0.0.0/${prefix}`;
      const netnum = a % 2 ** newbits;
      const subnet = call('cidrsubnet', [parent, newbits, netnum]) as string;
      const hostBits = 32 - prefix - newbits;
      const host = call('cidrhost', [subnet, b % 2 ** hostBits]) as string;
      const toInt = (ip: string): number => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
      const base = toInt(subnet.split('/')[0] ?? '');
      assert.ok(toInt(host) >= base && toInt(host) < base + 2 ** hostBits);
      assert.equal(call('cidrhost', [subnet, 0]), subnet.split('/')[0]);
    }),
  );
});
