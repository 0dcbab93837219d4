/** IP addresses and CIDR blocks as bytes: shared with the route schema's `sources` and `destinations` (protocol/src/net/). */
export { cidrContains, parseCidr, parseIp, type Cidr } from '@gatehouse/protocol';
