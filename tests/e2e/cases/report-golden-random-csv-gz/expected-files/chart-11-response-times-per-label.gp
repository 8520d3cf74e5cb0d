# chart-11-response-times-per-label.gp - written by jtlscope VERSION
# Re-render chart-11-response-times-per-label.png and chart-11-response-times-per-label.svg from this folder with:
#     gnuplot chart-11-response-times-per-label.gp
# The data (and every label from the JTL) is in chart-11-response-times-per-label.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-11-response-times-per-label.png'
set title 'Response time per label over time' font 'Sans,13'
set xlabel 'time since start of test (s)'
set ylabel 'mean response time (ms)'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.8 relative
set key at screen 0.5, screen 0.012 center bottom horizontal Left reverse samplen 2 width 2 maxcols 3
set bmargin 6
set xrange [0:21.69]
set yrange [0:]
plot 'chart-11-response-times-per-label.dat' index 0 using 1:2 title columnheader(2) with lines lc rgb '#0072B2' lw 2
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-11-response-times-per-label.svg'
replot
unset output
