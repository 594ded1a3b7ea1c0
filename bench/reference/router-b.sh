# LARTC chapter 10 ("Load sharing over multiple interfaces") by hand, router b. Idempotent: a rerun
# changes nothing (replace, not add). Sent on stdin to `sh -s` in one SSH round trip.
set -e
export LANG=C
modprobe sch_teql
ip link set dev eth1 up
ip link set dev eth2 up
tc qdisc replace dev eth1 root teql0
tc qdisc replace dev eth2 root teql0
ip link set dev teql0 up
ip addr replace 10.0.0.1/31 dev eth1
ip addr replace 10.0.0.3/31 dev eth2
ip addr replace 10.0.0.5/31 dev teql0
# rp_filter is max(conf.all, conf.<dev>): lo keeps its effective 2 before all comes down to 0.
sysctl -q -w net.ipv4.conf.lo.rp_filter=2 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth1.rp_filter=0 net.ipv4.conf.eth2.rp_filter=0
ip route replace 192.0.2.0/24 via 10.0.0.4
