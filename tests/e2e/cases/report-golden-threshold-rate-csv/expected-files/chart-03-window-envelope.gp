# chart-03-window-envelope.gp - written by jtlscope VERSION
# Re-render chart-03-window-envelope.png and chart-03-window-envelope.svg from this folder with:
#     gnuplot chart-03-window-envelope.gp
# The data (and every label from the JTL) is in chart-03-window-envelope.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-03-window-envelope.png'
set title 'Most accepted requests in any window of W seconds' font 'Sans,13'
set xlabel 'window length W (s)'
set ylabel 'accepted requests'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.8 relative
set key at screen 0.5, screen 0.012 center bottom horizontal Left reverse samplen 2 width 2 maxcols 3
set bmargin 6
set xrange [0:]
set yrange [0:]
plot 'chart-03-window-envelope.dat' index 0 using 1:2 title 'observed maximum' with points pt 7 ps 1.1 lc rgb '#009E73' lw 2, \
     5.474 + 30.16*x title 'fit b + r*W: b = 5.5, r = 30.16/s' with lines lc rgb '#0072B2' lw 2 dt 2
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-03-window-envelope.svg'
replot
unset output
