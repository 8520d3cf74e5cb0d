# chart-14-response-time-vs-threads.gp - written by jtlscope VERSION
# Re-render chart-14-response-time-vs-threads.png and chart-14-response-time-vs-threads.svg from this folder with:
#     gnuplot chart-14-response-time-vs-threads.gp
# The data (and every label from the JTL) is in chart-14-response-time-vs-threads.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-14-response-time-vs-threads.png'
set title 'Response time vs active threads' font 'Sans,13'
set xlabel 'active threads'
set ylabel 'mean response time (ms)'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.8 relative
set key at screen 0.5, screen 0.012 center bottom horizontal Left reverse samplen 2 width 2 maxcols 3
set bmargin 6
set xrange [0:]
set yrange [0:]
plot 'chart-14-response-time-vs-threads.dat' index 0 using 1:2 title columnheader(2) with points pt 7 ps 1.1 lc rgb '#0072B2' lw 2
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-14-response-time-vs-threads.svg'
replot
unset output
