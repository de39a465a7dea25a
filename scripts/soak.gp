# SPDX-License-Identifier: GPL-2.0
# make soak: memory and throughput over time, from the per-minute table
# scripts/soak.sh writes (one row a minute; the columns are its header).
#   gnuplot -e "tsv='build/soak/soak.tsv'; out='build/soak/soak.png'; title='...'" scripts/soak.gp
if (!exists("tsv")) tsv = 'build/soak/soak.tsv'
if (!exists("out")) out = 'build/soak/soak.png'
if (!exists("title")) title = 'make soak'

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1400,1300 font "sans,11" noenhanced
} else {
	set terminal png size 1400,1300 noenhanced
}
set output out
set datafile separator "\t"
set key autotitle columnhead
set grid lc rgb "#dddddd"
set key outside right top
set xlabel "minute"
set xrange [0:*]
set multiplot layout 3,1 title title

set title "kernel memory (MiB): the flat lines are the claim"
set ylabel "MiB"
set yrange [0:*]
plot tsv u 1:($9/1024) w linespoints lw 2 pt 7 t "Slab", \
     '' u 1:($10/1024) w linespoints lw 2 pt 5 t "SUnreclaim", \
     '' u 1:($12/1024) w linespoints lw 2 pt 9 t "kmalloc caches, in use", \
     '' u 1:($11/1024) w linespoints lw 2 pt 11 t "VmallocUsed"

set title "slab objects in use and threads"
set ylabel "objects"
set y2label "threads"
set y2tics
set ytics nomirror
set y2range [0:*]
plot tsv u 1:13 w linespoints lw 2 pt 7 t "kmalloc objects", \
     '' u 1:14 w linespoints lw 2 pt 5 t "other caches' objects", \
     '' u 1:15 axes x1y2 w linespoints lw 2 pt 9 t "threads (right axis)"
unset y2label; unset y2tics; set ytics mirror

set title "throughput (operations per second, per minute) and load/unload cycles"
set ylabel "per second"
set y2label "cycles per minute"
set y2tics
set ytics nomirror
plot tsv u 1:3 w linespoints lw 2 pt 7 t "reads", \
     '' u 1:4 w linespoints lw 2 pt 5 t "round trips", \
     '' u 1:5 w linespoints lw 2 pt 9 t "crcpool requests", \
     '' u 1:6 w linespoints lw 2 pt 11 t "signals", \
     '' u 1:($7+$8) axes x1y2 w linespoints lw 1 dt 2 pt 13 t "module loads (right axis)"
unset multiplot
