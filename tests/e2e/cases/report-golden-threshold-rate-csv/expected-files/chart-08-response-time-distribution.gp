# chart-08-response-time-distribution.gp - written by jtlscope VERSION
# Re-render chart-08-response-time-distribution.png and chart-08-response-time-distribution.svg from this folder with:
#     gnuplot chart-08-response-time-distribution.gp
# The data (and every label from the JTL) is in chart-08-response-time-distribution.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-08-response-time-distribution.png'
set title "Response-time distribution\n11 samples of 11 ms or more not shown (the slowest: 153 ms)" font 'Sans,13'
set xlabel 'response time (ms), bins of 1 ms'
set ylabel 'samples'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.85 absolute
unset key
set xrange [0:11]
set yrange [0:]
plot 'chart-08-response-time-distribution.dat' index 0 using 1:2 notitle with boxes fs solid 0.75 noborder lc rgb '#56B4E9'
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-08-response-time-distribution.svg'
replot
unset output
