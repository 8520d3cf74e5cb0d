# chart-10-retry-wait.gp - written by jtlscope VERSION
# Re-render chart-10-retry-wait.png and chart-10-retry-wait.svg from this folder with:
#     gnuplot chart-10-retry-wait.gp
# The data (and every label from the JTL) is in chart-10-retry-wait.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-10-retry-wait.png'
set title "Wait before the next request after a refusal\n1274 of 1274 (100 %) sooner than Retry-After" font 'Sans,13'
set xlabel 'wait from the refusal to the next request of the same thread (s, log scale)'
set ylabel 'refusals followed by at most this wait (%)'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.8 relative
unset key
set logscale x 10
set format x '%g'
set xrange [0.0775:7.5]
set yrange [0:100]
set arrow from 5, graph 0 to 5, graph 1 nohead dt 2 lw 1.5 lc rgb '#555555' front
set label 'Retry-After 5 s' at 5, graph 0.95 offset -0.6,0 right front tc rgb '#333333'
plot 'chart-10-retry-wait.dat' index 0 using 1:2 notitle with lines lc rgb '#D55E00' lw 2
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-10-retry-wait.svg'
replot
unset output
