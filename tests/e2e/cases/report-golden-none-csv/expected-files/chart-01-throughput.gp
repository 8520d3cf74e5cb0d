# chart-01-throughput.gp - written by jtlscope VERSION
# Re-render chart-01-throughput.png and chart-01-throughput.svg from this folder with:
#     gnuplot chart-01-throughput.gp
# The data (and every label from the JTL) is in chart-01-throughput.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-01-throughput.png'
set title 'Requests per second: accepted, refused and other errors' font 'Sans,13'
set xlabel 'time since start of test (s)'
set ylabel 'requests per second'
set y2label 'active threads'
set y2tics nomirror
set ytics nomirror
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.8 relative
set border 11 lc rgb '#444444'
set key at screen 0.5, screen 0.012 center bottom horizontal Left reverse samplen 2 width 2 maxcols 3
set bmargin 6
set xrange [0:11.263]
set yrange [0:142.78]
set y2range [0:28.32]
set arrow from 5.208, graph 0 to 5.208, graph 1 nohead dt 2 lw 1.5 lc rgb '#555555' front
set label 'ramp-up end' at 5.208, graph 0.95 offset 0.6,0 left front tc rgb '#333333'
plot 'chart-01-throughput.dat' index 0 using 1:2 title columnheader(2) with fillsteps fs solid 1.0 noborder lc rgb '#009E73', \
     '' index 0 using 1:5 axes x1y2 title columnheader(5) with steps lc rgb '#0072B2' lw 2
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-01-throughput.svg'
replot
unset output
