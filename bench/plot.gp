# SPDX-License-Identifier: GPL-2.0
# make bench: build/bench.png from the data files bench/report.py writes.
#   gnuplot -e "dir='build/bench'" bench/plot.gp
if (!exists("dir")) dir = 'build/bench'
if (!exists("out")) out = 'build/bench.png'

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1600,1300 font "sans,11" noenhanced
} else {
	set terminal png size 1600,1300 noenhanced
}
set output out

cxx = "#1f77b4"; c = "#d62728"; wq = "#2ca02c"; uwq = "#8c564b"; kw = "#9467bd"; pin = "#17becf"
set grid lc rgb "#dddddd"
set key box opaque
set multiplot layout 2,2 title "make bench: kthread.ko (C++) against its C twin, the null read and the deferred-work anchors\n(one VM boot, QEMU TCG, 2 vCPUs; medians over the rounds, bars min..max; distributions pool all rounds)"

# 1. reads/s against reader processes.
set title "read() throughput, log_events=0"
set key bottom right
set xlabel "reader processes"
set ylabel "reads/s"
set logscale x 2
set xtics (1, 2, 4, 8, 16)
set xrange [0.8:20]
set yrange [0:*]
set format y "%.0s%c"
plot dir.'/tput.dat' u ($1*0.97):2:3:4 w yerrorlines lc rgb cxx lw 2 pt 7 t "C++ module", \
     '' u ($1*1.03):5:6:7 w yerrorlines lc rgb c lw 2 pt 5 t "C twin", \
     '' u ($1*0.97):8:9:10 w yerrorlines lc rgb cxx lw 1 dt 2 pt 6 t "C++ null read (signal=0)", \
     '' u ($1*1.03):11:12:13 w yerrorlines lc rgb c lw 1 dt 2 pt 4 t "C twin null read (signal=0)"
unset logscale x; unset format y; set format y "%g"; unset xrange; unset yrange
set xtics autofreq

# 2 and 3: distributions, quarter-octave bins, log time axis.
set logscale x 10
set xlabel "microseconds (log scale)"
set ylabel "share of samples per quarter-octave bin"
set yrange [0:*]
set key at graph 0.99, graph 0.98 right top vertical maxrows 8 width 1 opaque box
set offsets 0, 0, graph 0.3, 0
set title "wake latency: complete() in read() -> thread running (in the kernel, ktime_get_ns)\none sequential reader, roundtrip=1: every read finds the thread asleep"
plot dir.'/dist-wake-rt-cxx.dat' u 1:2 w steps lc rgb cxx lw 2 t "C++ module", \
     dir.'/dist-wake-rt-c.dat' u 1:2 w steps lc rgb c lw 2 t "C twin", \
     dir.'/dist-wake-pin-cxx.dat' u 1:2 w steps lc rgb cxx lw 2 dt 2 t "C++ module, thread + reader pinned to CPU 0", \
     dir.'/dist-wake-pin-c.dat' u 1:2 w steps lc rgb c lw 2 dt 2 t "C twin, pinned"

set title "read() round trip in user space (clock_gettime), one sequential reader"
plot dir.'/dist-rt-cxx.dat' u 1:2 w steps lc rgb cxx lw 2 t "C++ module, roundtrip=1", \
     dir.'/dist-rt-c.dat' u 1:2 w steps lc rgb c lw 2 t "C twin, roundtrip=1", \
     dir.'/dist-rt-wq.dat' u 1:2 w steps lc rgb wq lw 2 t "workqueue: queue_work + flush_work", \
     dir.'/dist-rt-uwq.dat' u 1:2 w steps lc rgb uwq lw 2 dt 2 t "the same on system_unbound_wq", \
     dir.'/dist-rt-kworker.dat' u 1:2 w steps lc rgb kw lw 2 t "kthread_worker: queue + flush", \
     dir.'/dist-rt-cxxpin.dat' u 1:2 w steps lc rgb pin lw 2 dt 3 t "C++ module, thread + reader pinned to CPU 0"
unset logscale x; unset yrange

# 4. the per-round ratios C++ / C.
set title "C++ / C, one point per round (instructions: per repeat, -icount)"
set xlabel ""
set ylabel "ratio C++ / C"
set xrange [-0.5:10.5]
set logscale y 2
set yrange [*:*]
set xtics ("reads/s" 0, "wake\np50" 1, "wake\np99" 2, "wake p50\npinned" 3, "wake p99\npinned" 4, "round trip\np50" 5, "round trip\np50 pinned" 6, "null\nreads/s" 7, "instr/\nread" 8, "instr/\nnull" 9, "instr/\nround trip" 10)
unset offsets
set key at graph 0.99, graph 0.98 right top
set bmargin 5
plot dir.'/ratios.dat' u 1:4 w p pt 7 ps 1.5 lc rgb cxx t "per round", \
     1 w l lc rgb "black" dt 2 t "equal"
unset multiplot
