# The chapter's checks by hand, router b: each link, the equalizer, network 2 -> network 1. The pings
# run at once, as teqlctl's do; the script fails if any of them got no reply.
export LANG=C
ping -n -q -i 0.2 -c 3 -W 2 10.0.0.0 >/dev/null & p1=$!
ping -n -q -i 0.2 -c 3 -W 2 10.0.0.2 >/dev/null & p2=$!
ping -n -q -i 0.2 -c 3 -W 2 10.0.0.4 >/dev/null & p3=$!
ping -n -q -i 0.2 -c 3 -W 2 -I 198.51.100.1 192.0.2.1 >/dev/null & p4=$!
failed=0
for p in $p1 $p2 $p3 $p4; do wait $p || failed=1; done
exit $failed
