# chart-12-latency-connect.gp - written by jtlscope VERSION
# Re-render chart-12-latency-connect.png and chart-12-latency-connect.svg from this folder with:
#     gnuplot chart-12-latency-connect.gp
# The data (and every label from the JTL) is in chart-12-latency-connect.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-12-latency-connect.png'
set title 'Latency and connect time over time' font 'Sans,13'
set xlabel 'time since start of test (s)'
set ylabel 'mean time (ms)'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.8 relative
set key at screen 0.5, screen 0.012 center bottom horizontal Left reverse samplen 2 width 2 maxcols 3
set bmargin 6
set xrange [0:25.302]
set yrange [0:]
plot 'chart-12-latency-connect.dat' index 0 using 1:2 title columnheader(2) with lines lc rgb '#999999' lw 2 dt 2, \
     '' index 0 using 1:3 title columnheader(3) with lines lc rgb '#0072B2' lw 2, \
     '' index 0 using 1:4 title columnheader(4) with lines lc rgb '#E69F00' lw 2
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-12-latency-connect.svg'
replot
unset output
